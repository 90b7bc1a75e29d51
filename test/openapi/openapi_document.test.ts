/**
 * `/docs/json` checked by tools nobody here wrote: Redocly's linter finds no error in it,
 * `@readme/openapi-parser` validates it, and a client generated from it with
 * openapi-typescript type-checks and then works against a real server (channel, token, send,
 * message list).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { validate } from "@readme/openapi-parser";
import { startTestServer, type TestServer } from "../support/test_server.ts";

const REPO = join(import.meta.dir, "..", "..");
const DIR = join(REPO, "test", "artifacts", "openapi-client");
const SPEC = join(DIR, "openapi.json");

let server: TestServer;
let document: Record<string, any>;

beforeAll(async () => {
  server = await startTestServer();
  const res = await fetch(`${server.url}/docs/json`);
  expect(res.status).toBe(200);
  document = (await res.json()) as Record<string, any>;
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  writeFileSync(SPEC, JSON.stringify(document, null, 2));
});

afterAll(async () => {
  await server?.close();
});

function run(args: string[]): { exitCode: number; stdout: string; stderr: string } {
  const proc = Bun.spawnSync(args, { cwd: REPO, env: { ...process.env, NO_COLOR: "1" } });
  return {
    exitCode: proc.exitCode,
    stdout: proc.stdout.toString(),
    stderr: proc.stderr.toString(),
  };
}

const bin = (path: string) => join(REPO, "node_modules", path);

describe("/docs/json", () => {
  test("Redocly's recommended rules find no error", () => {
    const lint = run([
      process.execPath,
      bin("@redocly/cli/bin/cli.js"),
      "lint",
      SPEC,
      "--format=json",
    ]);
    const report = JSON.parse(lint.stdout.slice(lint.stdout.indexOf("{"))) as {
      totals: { errors: number };
      problems: { ruleId: string; severity: string; message: string }[];
    };
    const errors = report.problems.filter((problem) => problem.severity === "error");
    expect(errors).toEqual([]);
    expect(report.totals.errors).toBe(0);
  }, 60_000);

  test("@readme/openapi-parser validates it", async () => {
    const result = await validate(structuredClone(document) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
  });

  test("declares both credentials, the headers, the error shape and unique operation ids", () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      "adminKey",
      "integrationToken",
    ]);
    // SENDEASY_PUBLIC_URL, here its default (the test server's port is chosen at start).
    expect(document.servers).toEqual([{ url: "http://localhost:0", description: "This server" }]);
    const operations = Object.values(document.paths).flatMap((item: any) => Object.values(item));
    const ids = operations.map((operation: any) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const operation of operations as any[]) expect(operation.security).toBeArray();
    const send = document.paths["/api/integration/generic"].post;
    expect(send.security).toEqual([{ integrationToken: [] }]);
    expect(send.parameters.map((p: any) => p.name)).toEqual(["idempotency-key", "prefer"]);
    expect(Object.keys(send.responses["200"].headers).sort()).toEqual([
      "Idempotent-Replayed",
      "x-request-id",
    ]);
    expect(Object.keys(send.responses["429"].headers)).toContain("Retry-After");
    expect(send.responses["400"].content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Error",
    );
    const list = document.paths["/api/admin/channels"].get;
    expect(list.security).toEqual([{ adminKey: [] }]);
    expect(list.parameters.find((p: any) => p.name === "limit").schema.type).toBe("integer");
    expect(list.parameters.map((p: any) => p.name)).toContain("sendeasy-company");
  });
});

describe("a client generated from /docs/json", () => {
  test("compiles, then channel, token, send and list calls work against the server", async () => {
    const generate = run([
      process.execPath,
      "--preload",
      join(import.meta.dir, "_typescript_5.ts"),
      bin("openapi-typescript/bin/cli.js"),
      SPEC,
      "--output",
      join(DIR, "schema.d.ts"),
    ]);
    expect(generate.exitCode, generate.stderr).toBe(0);
    copyFileSync(join(REPO, "test", "openapi", "client", "program.ts"), join(DIR, "program.ts"));
    writeFileSync(
      join(DIR, "tsconfig.json"),
      JSON.stringify({
        extends: relative(DIR, join(REPO, "tsconfig.json")),
        include: ["*.ts"],
        exclude: [],
      }),
    );
    const check = run(["bunx", "tsc", "--noEmit", "--pretty", "false", "-p", DIR]);
    expect(check.stdout + check.stderr).toBe("");
    expect(check.exitCode).toBe(0);

    // Asynchronous: the server answering it runs in this process.
    const program = Bun.spawn([process.execPath, join(DIR, "program.ts")], {
      cwd: REPO,
      env: { ...process.env, SENDEASY_URL: server.url, SENDEASY_ADMIN_KEY: server.adminKey },
      stdout: "pipe",
      stderr: "pipe",
    });
    const [stdout, stderr] = await Promise.all([
      new Response(program.stdout).text(),
      new Response(program.stderr).text(),
    ]);
    expect(stderr).toBe("");
    expect(await program.exited).toBe(0);
    const seen = JSON.parse(stdout);
    expect(seen.channel).toEqual({
      id: expect.stringMatching(/^ch_/),
      type: "sms",
      provider: "sandbox",
    });
    expect(seen.tokenPrefix).toMatch(/^se_/);
    expect(seen.sent).toEqual({ id: expect.stringMatching(/^msg_/), status: "sent", segments: 1 });
    expect(seen.replayed).toBeNull();
    expect(seen.refusal).toBe("VALIDATION_ERROR");
    expect(seen.messages).toContainEqual({
      id: seen.sent.id,
      status: expect.stringMatching(/^(sent|delivered)$/),
      channelId: seen.channel.id,
    });
    expect(seen.nextCursor).toBeNull();
  }, 120_000);
});
