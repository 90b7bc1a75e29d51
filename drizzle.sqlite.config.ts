/**
 * drizzle-kit configuration for the embedded SQLite store:
 * `bunx drizzle-kit generate --config drizzle.sqlite.config.ts` writes a new migration into
 * `drizzle/sqlite/` after a change under `adapters/store/sqlite/schema/`.
 *
 * @module
 */
import { defineConfig } from "drizzle-kit";

// drizzle-kit only reads a default export: the one exception to "named exports only".
export default defineConfig({
  dialect: "sqlite",
  schema: "./adapters/store/sqlite/schema/mod.ts",
  out: "./drizzle/sqlite",
});
