/**
 * Several Sendeasy processes on one Postgres and one Redis, for the scale-out tests
 * (README.md#quick-start: `DATABASE_URL=postgres://… REDIS_URL=redis://…` for several instances).
 */
import { describe, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, probePostgres, type TestDatabase } from "./postgres_harness.ts";
import { IN_CI, REDIS_URL, sharedProblem } from "./redis.ts";
import { freePort, OPERATOR_KEY } from "./test_server.ts";

const serverScript = join(import.meta.dir, "server_process.ts");

/** One server process. */
export interface Instance {
  url: string;
  process: ReturnType<typeof Bun.spawn>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>;
  send(
    token: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  kill(): Promise<void>;
  /** Everything the process has written to stdout so far (its JSON log lines). */
  output(): string;
}

/** What every instance of one cluster shares. */
export interface ClusterEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  SENDEASY_REDIS_PREFIX: string;
  SENDEASY_SECRET_KEY: string;
  [key: string]: string;
}

export async function clusterEnv(
  db: TestDatabase,
  extra: Record<string, string> = {},
): Promise<ClusterEnv> {
  return {
    DATABASE_URL: db.url,
    REDIS_URL,
    SENDEASY_REDIS_PREFIX: `sendeasy-test:${db.name}:`,
    // Every instance must share the key that seals provider secrets.
    SENDEASY_SECRET_KEY: randomBytes(32).toString("base64"),
    ...extra,
  };
}

export async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = freePort();
  const child = Bun.spawn(["bun", serverScript], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: mkdtempSync(join(tmpdir(), "sendeasy-scale-")),
      SENDEASY_ADMIN_KEY: OPERATOR_KEY,
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
      ...env,
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server process exited before it was ready");
    text += new TextDecoder().decode(value);
  }
  const url = text.trim().split("\n")[0]!.split(" ")[1]!;
  // Keep draining stdout: a full pipe would block the server's log writes.
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) return;
      text += new TextDecoder().decode(value);
    }
  })();
  const call = async (path: string, init: RequestInit) => {
    const res = await fetch(url + path, init);
    const body = await res.text();
    return {
      status: res.status,
      body: body === "" ? null : JSON.parse(body),
      headers: res.headers,
    };
  };
  return {
    url,
    process: child,
    admin: (method, path, body) =>
      call(`/api/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }),
    send: (token, body, headers = {}) =>
      call("/api/integration/generic", {
        method: "POST",
        headers: {
          authorization: `Bearer ${token}`,
          "content-type": "application/json",
          ...headers,
        },
        body: JSON.stringify(body),
      }),
    kill: async () => {
      child.kill("SIGKILL");
      await child.exited;
    },
    output: () => text,
  };
}

const postgres = await probePostgres();

/** `describe` that needs Postgres and Redis: fails under CI without them, skips visibly elsewhere. */
export function describeCluster(name: string, body: () => void): void {
  const problem = !postgres.ok
    ? `Postgres is unreachable (${postgres.reason})`
    : sharedProblem !== null
      ? `Redis is unreachable at ${REDIS_URL} (${sharedProblem})`
      : null;
  if (problem === null) describe(name, body);
  else if (IN_CI) {
    describe(name, () => {
      test("has Postgres and Redis", () => {
        throw new Error(`Cannot run "${name}": ${problem}; with CI set, these tests never skip`);
      });
    });
  } else {
    console.warn(`SKIPPED "${name}": ${problem}`);
    describe.skip(`${name} [skipped: ${problem}]`, body);
  }
}

export { createTestDatabase };
