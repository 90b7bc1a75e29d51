/**
 * Process: the real Sendeasy server with its delivery worker, for the fan-out
 * (bench/README.md#fan-out).
 *
 * @module
 */
import { startServer } from "../../server/app.ts";
import { ADMIN_KEY } from "../shared/admin_api.ts";
import { announceAndServe, backendEnv } from "../shared/control.ts";

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
