/**
 * `sendeasy migrate`: applies the database migrations without starting the server.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { migrateSqlite, openSqlite } from "../adapters/store/sqlite/mod.ts";
import { parseEnv } from "./env.ts";

/**
 * Applies pending migrations to the configured database.
 *
 * @param source usually `process.env`
 * @returns a sentence saying what was migrated
 * @throws {Error} when the environment is invalid
 */
export async function runMigrations(source: Record<string, string | undefined>): Promise<string> {
  const parsed = parseEnv(source);
  if (!parsed.ok) throw new Error(`Cannot migrate:\n  - ${parsed.problems.join("\n  - ")}`);
  if (parsed.env.databaseUrl !== null)
    throw new Error("Cannot migrate: DATABASE_URL (Postgres) is not supported yet");
  mkdirSync(parsed.env.dataDir, { recursive: true });
  const path = join(parsed.env.dataDir, "sendeasy.sqlite");
  const db = openSqlite(path);
  try {
    migrateSqlite(db);
  } finally {
    db.close();
  }
  return `SQLite database ${path} is up to date`;
}
