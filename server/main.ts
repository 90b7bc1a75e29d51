/**
 * `bun start`: starts Sendeasy from the environment and stops it cleanly on SIGINT/SIGTERM.
 *
 * @module
 */
import { startServer } from "./app.ts";

try {
  const server = await startServer(process.env);
  const shutdown = async (): Promise<void> => {
    await server.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
