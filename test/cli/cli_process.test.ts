/**
 * The real executable, `bun cli/main.ts …`, as a subprocess against a fake of our API: what a
 * shell script sees (stdout, stderr, exit code).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { type FakeApi, json, startFakeApi } from "./fake_admin_api.ts";

const ROOT = join(import.meta.dir, "..", "..");
const KEY = "sk_test_admin_key_0123456789";
const TOKEN = "se_ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210zyxwvut";
let api: FakeApi;

beforeAll(() => {
  api = startFakeApi({
    adminKey: KEY,
    routes: {
      "POST /api/admin/integrations": () =>
        json(201, {
          integration: { id: "int_1", kind: "custom", name: "Shop", channelId: "ch_1" },
          token: TOKEN,
        }),
      "GET /api/admin/channels": () =>
        json(200, {
          data: [{ id: "ch_1", type: "sms", name: "A", credits: null }],
          nextCursor: null,
        }),
    },
  });
});

afterAll(() => api.stop());

async function sendeasy(argv: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn([process.execPath, "cli/main.ts", ...argv], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", SENDEASY_URL: api.url, SENDEASY_ADMIN_KEY: KEY, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { stdout, stderr, code };
}

describe("sendeasy (subprocess)", () => {
  test("token create prints the token alone on the last stdout line and never on stderr", async () => {
    const { stdout, stderr, code } = await sendeasy([
      "token",
      "create",
      "--channel",
      "ch_1",
      "--name",
      "Shop",
    ]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines.at(-1)).toBe(TOKEN);
    expect(lines).toEqual(["int_1", TOKEN]);
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(KEY);
  });

  test("an unknown command exits 2 with usage on stderr and nothing on stdout", async () => {
    const { stdout, stderr, code } = await sendeasy(["frobnicate"]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain('error: unknown command "frobnicate"');
    expect(stderr).toContain("usage: sendeasy <command>");
  });

  test("a 401 exits 1 with the server's message and request id on stderr", async () => {
    const { stdout, stderr, code } = await sendeasy(["channel", "list"], {
      SENDEASY_ADMIN_KEY: "sk_wrong_key_wrong_key",
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      "error: Missing or invalid credentials (ERR_NO_PERMISSION, request req_denied)\n",
    );
  });

  test("--json prints JSON that parses", async () => {
    const { stdout, code } = await sendeasy(["channel", "list", "--json"]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([{ id: "ch_1", type: "sms", name: "A", credits: null }]);
  });

  test("--help prints usage to stdout and exits 0", async () => {
    const { stdout, stderr, code } = await sendeasy(["--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("token create");
    expect(stderr).toBe("");
  });

  test("a SENDEASY_URL that is not an http(s) URL exits 2", async () => {
    const { stderr, code } = await sendeasy(["channel", "list"], {
      SENDEASY_URL: "localhost:3000",
    });
    expect(code).toBe(2);
    expect(stderr).toContain("SENDEASY_URL must be an http(s) URL");
  });

  test("an unreachable server exits 1 naming it", async () => {
    const { stderr, code } = await sendeasy(["channel", "list"], {
      SENDEASY_URL: "http://127.0.0.1:9",
    });
    expect(code).toBe(1);
    expect(stderr).toStartWith("error: cannot reach http://127.0.0.1:9");
  });
});
