/**
 * Starts the server from the environment in its own process and prints `KEY <key>` when this
 * start generated the operator key, then `READY <url>`.
 */
import { startServer } from "../../server/app.ts";

const server = await startServer(process.env, {
  print: (line) => process.stdout.write(`KEY ${line.split(": ").pop()}\n`),
  logWrite: () => undefined,
});
process.stdout.write(`READY ${server.url}\n`);
