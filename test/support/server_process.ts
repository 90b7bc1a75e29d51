/**
 * Starts the server from the environment in its own process and prints `READY <url>`, so a
 * test can SIGKILL it mid-flight.
 */
import { startServer } from "../../server/app.ts";

const server = await startServer(process.env, {
  print: () => undefined,
  logWrite: () => undefined,
});
process.stdout.write(`READY ${server.url}\n`);
