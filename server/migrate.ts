/**
 * `sendeasy migrate`: applies the database migrations without starting the server.
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/bun-sql";
import { migratePostgres, openPostgres } from "../adapters/store/postgres/mod.ts";
import { migrateSqlite, openSqlite } from "../adapters/store/sqlite/mod.ts";
import { parseEnv } from "./env.ts";

/**
 * Applies pending migrations to the configured database (`DATABASE_URL`, or the embedded
 * SQLite file in `SENDEASY_DATA_DIR`).
 *
 * @param source usually `process.env`
 * @returns a sentence saying what was migrated
 * @throws {Error} when the environment is invalid or the database cannot be migrated
 */
export async function runMigrations(source: Record<string, string | undefined>): Promise<string> {
  const parsed = parseEnv(source);
  if (!parsed.ok) throw new Error(`Cannot migrate:\n  - ${parsed.problems.join("\n  - ")}`);
  const { databaseUrl, dataDir } = parsed.env;
  if (databaseUrl !== null) {
    const client = openPostgres(databaseUrl, { max: 1 });
    try {
      await migratePostgres(drizzle({ client }));
    } finally {
      await client.close();
    }
    return `PostgreSQL database ${new URL(databaseUrl).pathname.slice(1)} is up to date`;
  }
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, "sendeasy.sqlite");
  const db = openSqlite(path);
  try {
    migrateSqlite(db);
  } finally {
    db.close();
  }
  return `SQLite database ${path} is up to date`;
}
