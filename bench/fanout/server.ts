/**
 * The system under test of `bench/fanout.ts`: the real Sendeasy server (`startServer`, delivery
 * worker included) on the backend the harness provisioned (`bench/_backend.ts`: SQLite in a
 * fresh temp data dir, or Postgres + Redis shared by every instance), logs silent, private
 * webhook destinations allowed (the receivers are on 127.0.0.1). Nothing is created here: the
 * harness makes the channel, the webhooks and the events through the admin API, as an operator
 * would.
 *
 * Environment (the harness sets it): the backend variables (`backendEnv`); `FANOUT_WORKER=off`
 * starts without the delivery worker (deliveries stay queued). The data dir and the database
 * belong to the harness, which removes them.
 *
 * Speaks the control protocol of `_targets/_control.ts`: announces `{url, token}` (`token` is
 * the operator admin key); `stats` adds the store's write counters (`storeWrites`). Started by
 * `bench/_proc.ts`'s `startTarget("../_fanout_server")`, optionally under `bun --cpu-prof`.
 *
 * @module
 */
import { startServer } from "../../server/app.ts";
import { announceAndServe, backendEnv } from "../shared/control.ts";

const ADMIN_KEY = "bench-operator-key-0123456789abcdef";
const toStderr = (line: string): void => {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
};

const server = await startServer(
  {
    ...backendEnv(),
    PORT: "0",
    HOST: "127.0.0.1",
    SENDEASY_LOG_LEVEL: "silent",
    SENDEASY_ADMIN_KEY: ADMIN_KEY,
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  },
  { print: toStderr, logWrite: toStderr, worker: process.env.FANOUT_WORKER !== "off" },
);

await announceAndServe(
  { url: server.url, token: ADMIN_KEY },
  {
    // The stores count their writes; the `Store` port does not promise it.
    stats: () => {
      const store = server.store as { writeStats?: () => unknown };
      return { storeWrites: typeof store.writeStats === "function" ? store.writeStats() : null };
    },
    close: () => server.stop(),
  },
);
