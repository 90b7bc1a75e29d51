/**
 * The system under test: the real Sendeasy server (`startServer`) on SQLite in a fresh temp
 * data dir, logs silent, with one sandbox SMS channel and one custom integration whose rate
 * limit is effectively off (`perSecond: 1e9, burst: 1e9`). Announces `{url, token}` for the
 * harness; `stats` adds SQLite group-commit counters. Run by `bench/send.ts` as its own
 * process (optionally under `bun --cpu-prof`).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../server/app.ts";
import { announceAndServe } from "./_control.ts";

type WithWriteStats = { writeStats?: () => unknown };
const ADMIN_KEY = "bench-operator-key-0123456789abcdef";
const toStderr = (line: string): void => {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
};

const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-bench-"));
const server = await startServer(
  {
    PORT: "0",
    HOST: "127.0.0.1",
    SENDEASY_DATA_DIR: dataDir,
    SENDEASY_LOG_LEVEL: "silent",
    SENDEASY_ADMIN_KEY: ADMIN_KEY,
  },
  { print: toStderr, logWrite: toStderr },
);

async function admin(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/admin${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201)
    throw new Error(`admin ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

const channel = await admin("/channels", {
  type: "sms",
  provider: "sandbox",
  name: "bench",
  address: "+5511933334444",
});
const integration = await admin("/integrations", {
  kind: "custom",
  name: "bench",
  channelId: channel.id,
  rateLimit: { perSecond: 1e9, burst: 1e9 },
});

await announceAndServe(
  { url: server.url, token: integration.token },
  {
    // Group-commit counters, when the store has them (the SQLite store does).
    stats: () => ({ sqliteWrites: (server.store as WithWriteStats).writeStats?.() ?? null }),
    close: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  },
);
