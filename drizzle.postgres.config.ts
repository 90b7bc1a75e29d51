/**
 * drizzle-kit configuration for the Postgres store:
 * `bunx drizzle-kit generate --config drizzle.postgres.config.ts` writes a new migration into
 * `drizzle/postgres/` after a change under `adapters/store/postgres/schema/`.
 *
 * @module
 */
import { defineConfig } from "drizzle-kit";

// drizzle-kit only reads a default export: the one exception to "named exports only".
export default defineConfig({
  dialect: "postgresql",
  schema: "./adapters/store/postgres/schema/mod.ts",
  out: "./drizzle/postgres",
});
