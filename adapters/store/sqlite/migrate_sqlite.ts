/**
 * Applying the drizzle-kit migrations in `drizzle/sqlite/` (run at start and by
 * `sendeasy migrate`).
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/bun-sqlite";
import { migrate } from "drizzle-orm/bun-sqlite/migrator";

/** The folder drizzle-kit generates into (`drizzle.sqlite.config.ts`). */
export const SQLITE_MIGRATIONS_FOLDER: string = join(import.meta.dir, "../../../drizzle/sqlite");

/**
 * Applies every migration not yet recorded in `__drizzle_migrations`, in one transaction.
 * Idempotent: a second run on a current database changes nothing.
 *
 * @param db An open connection (see {@linkcode openSqlite}).
 * @param options.migrationsFolder Where the migrations are; default {@linkcode SQLITE_MIGRATIONS_FOLDER}.
 * @throws {Error} When a migration fails; the database is left as it was before the call.
 *
 * @example
 * ```ts
 * const db = openSqlite("./data/sendeasy.sqlite");
 * migrateSqlite(db);
 * ```
 */
export function migrateSqlite(db: Database, options: { migrationsFolder?: string } = {}): void {
  migrate(drizzle({ client: db }), {
    migrationsFolder: options.migrationsFolder ?? SQLITE_MIGRATIONS_FOLDER,
  });
}
