/**
 * Several instances started at the same moment on one empty database (SQLite processes on one
 * data directory, Postgres instances on one database): one default company, and one generated
 * operator key, printed once, which works.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backends } from "../support/backends.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres_harness.ts";
import { freePort } from "../support/test_server.ts";

const INSTANCES = 3;
const ROUNDS = 2;
const script = join(import.meta.dir, "_start_process.ts");

interface Started {
  url: string;
  keys: string[];
  child: ReturnType<typeof Bun.spawn>;
}

async function start(env: Record<string, string>): Promise<Started> {
  const child = Bun.spawn(["bun", script], {
    env: { ...process.env, PORT: String(freePort()), HOST: "127.0.0.1", ...env },
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("READY ")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`server process exited before it was ready: ${text}`);
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  const lines = text.trim().split("\n");
  const keys = lines.filter((l) => l.startsWith("KEY ")).map((l) => l.slice(4));
  const url = lines.find((l) => l.startsWith("READY "))!.slice(6);
  return { url, keys, child };
}

for (const backend of await backends()) {
  describe(`${INSTANCES} instances starting at once on ${backend.name}`, () => {
    const cleanups: Array<() => Promise<void> | void> = [];
    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup();
    });

    /** A fresh, empty database (and data directories) for one round. */
    async function freshEnvs(): Promise<Record<string, string>[]> {
      const secretKey = randomBytes(32).toString("base64");
      if (backend.name === "sqlite") {
        // Every process on the same data directory, so the same SQLite file and secret key.
        const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-start-"));
        cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
        return Array.from({ length: INSTANCES }, () => ({ SENDEASY_DATA_DIR: dataDir }));
      }
      const db: TestDatabase = await createTestDatabase();
      cleanups.push(() => db.drop());
      return Array.from({ length: INSTANCES }, () => {
        const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-start-"));
        cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
        return {
          DATABASE_URL: db.url,
          SENDEASY_DATA_DIR: dataDir,
          SENDEASY_SECRET_KEY: secretKey,
        };
      });
    }

    test("one default company and one operator key, printed once", async () => {
      for (let round = 0; round < ROUNDS; round++) {
        const envs = await freshEnvs();
        const started = await Promise.all(envs.map(start));
        try {
          const keys = started.flatMap((s) => s.keys);
          expect(keys).toHaveLength(1);
          for (const instance of started) {
            const res = await fetch(`${instance.url}/api/admin/companies`, {
              headers: { authorization: `Bearer ${keys[0]}` },
            });
            expect(res.status).toBe(200);
            const body = (await res.json()) as { data: unknown[] };
            expect(body.data).toHaveLength(1);
          }
        } finally {
          for (const instance of started) {
            instance.child.kill("SIGKILL");
            await instance.child.exited;
          }
        }
      }
    }, 60_000);
  });
}
