/**
 * The Sendeasy server: start it from an environment (what `bun start` does), or apply the
 * migrations alone.
 *
 * @example
 * ```ts
 * import { startServer } from "./server/mod.ts";
 * const server = await startServer(process.env);
 * console.log(server.url);
 * ```
 *
 * @module
 */
export { type RunningServer, type StartOptions, startServer } from "./app.ts";
export { parseEnv, type ServerEnv } from "./env.ts";
export { runMigrations } from "./migrate.ts";
