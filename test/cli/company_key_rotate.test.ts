/**
 * `sendeasy company key rotate [co_…]` against the real server: the operator rotates a
 * company's key, a key rotates itself; the new key alone on stdout, the old one refused.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { captureContext } from "../support/capture_context.ts";
import { startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

async function cli(argv: string[], adminKey: string) {
  const captured = captureContext({ baseUrl: t.url, adminKey, now: () => Date.now() });
  const code = await runCli(argv, captured.ctx);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

const works = async (key: string) => (await cli(["channel", "list", "--json"], key)).code === 0;

test("the operator rotates a company's key; the company's key then rotates itself", async () => {
  const created = await cli(["company", "create", "--name", "Acme"], t.adminKey);
  const [companyId, firstKey] = created.stdout as [string, string];

  const byOperator = await cli(["company", "key", "rotate", companyId], t.adminKey);
  expect(byOperator.code).toBe(0);
  expect(byOperator.stdout).toEqual([expect.stringMatching(/^sk_/)]);
  expect(byOperator.stderr.join("\n")).not.toContain(byOperator.stdout[0]);
  const secondKey = byOperator.stdout[0]!;
  expect(await works(firstKey)).toBe(false);
  expect(await works(secondKey)).toBe(true);

  const bySelf = await cli(["company", "key", "rotate"], secondKey);
  expect(bySelf.code).toBe(0);
  const thirdKey = bySelf.stdout[0]!;
  expect(await works(secondKey)).toBe(false);
  expect(await works(thirdKey)).toBe(true);
});

test("a company key cannot rotate another company's key; a malformed id is a usage error", async () => {
  const a = (await cli(["company", "create", "--name", "A"], t.adminKey)).stdout;
  const b = (await cli(["company", "create", "--name", "B"], t.adminKey)).stdout;
  const refused = await cli(["company", "key", "rotate", b[0]!], a[1]!);
  expect(refused.code).toBe(1);
  expect(refused.stdout).toEqual([]);
  expect(await works(b[1]!)).toBe(true);
  expect((await cli(["company", "key", "rotate", "ch_x"], t.adminKey)).code).toBe(2);
  expect((await cli(["company", "key", "rotate", "co_1", "co_2"], t.adminKey)).code).toBe(2);
});

test("help lists it with its optional company", async () => {
  const help = await cli(["company", "--help"], t.adminKey);
  expect(help.stdout.join("\n") + help.stderr.join("\n")).toContain(
    "sendeasy company key rotate [co_…]",
  );
});
