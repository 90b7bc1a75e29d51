/**
 * The system under test of `bench/fanout.ts`: the real Sendeasy server (`startServer`, delivery
 * worker included) on SQLite in a fresh temp data dir, logs silent, private webhook destinations
 * allowed (the receivers are on 127.0.0.1). Nothing is created here: the harness makes the
 * channel, the webhooks and the events through the admin API, as an operator would.
 *
 * Environment (the harness sets it): `FANOUT_DATA_DIR` uses that data dir and leaves it in place;
 * `FANOUT_WORKER=off` starts without the delivery worker (deliveries stay queued).
 *
 * Speaks the control protocol of `_targets/_control.ts`: announces `{url, token}` (`token` is
 * the operator admin key); `stats` adds the SQLite group-commit counters. Started by
 * `bench/_proc.ts`'s `startTarget("../_fanout_server")`, optionally under `bun --cpu-prof`.
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../server/app.ts";
import { announceAndServe } from "./_targets/_control.ts";

const ADMIN_KEY = "bench-operator-key-0123456789abcdef";
const toStderr = (line: string): void => {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
};

// The "worker alone" scenario fills the outbox with one process (`FANOUT_WORKER=off`) and
// drains it with a second one on the same data dir (`FANOUT_DATA_DIR`, removed by the harness).
const sharedDir = process.env.FANOUT_DATA_DIR;
const dataDir = sharedDir ?? mkdtempSync(join(tmpdir(), "sendeasy-fanout-"));
const server = await startServer(
  {
    PORT: "0",
    HOST: "127.0.0.1",
    SENDEASY_DATA_DIR: dataDir,
    SENDEASY_LOG_LEVEL: "silent",
    SENDEASY_ADMIN_KEY: ADMIN_KEY,
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  },
  { print: toStderr, logWrite: toStderr, worker: process.env.FANOUT_WORKER !== "off" },
);

await announceAndServe(
  { url: server.url, token: ADMIN_KEY },
  {
    // The SQLite store counts its group commits; the `Store` port does not promise it.
    stats: () => {
      const store = server.store as { writeStats?: () => unknown };
      return { sqliteWrites: typeof store.writeStats === "function" ? store.writeStats() : null };
    },
    close: async () => {
      await server.stop();
      if (sharedDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  },
);
