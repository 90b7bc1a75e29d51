/**
 * Applying the drizzle-kit migrations in `drizzle/sqlite/` (run at start and by
 * `sendeasy migrate`).
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { join } from "node:path";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";

/** The folder drizzle-kit generates into (`drizzle.sqlite.config.ts`); the migrations
 * themselves are embedded ({@linkcode SQLITE_MIGRATIONS}). */
export const SQLITE_MIGRATIONS_FOLDER: string = join(import.meta.dir, "../../../drizzle/sqlite");

/** drizzle-orm's bookkeeping table, kept as its own migrator creates and reads it. */
const MIGRATIONS_TABLE = "__drizzle_migrations";

/**
 * Applies every migration newer than the last one recorded in `__drizzle_migrations`, in one
 * `BEGIN IMMEDIATE` transaction (the bookkeeping table is drizzle-orm's, so databases migrated
 * by its own migrator carry on).
 *
 * Why not drizzle-orm's `migrate()`: SQLite cannot drop a NOT NULL constraint, so drizzle-kit
 * rebuilds the table (`__new_events`, copy, `DROP TABLE`, rename). With foreign keys on, that
 * `DROP TABLE` fails as soon as a row references the table, and `PRAGMA foreign_keys = OFF` is a
 * no-op inside a transaction — the generated PRAGMAs do nothing there. So this follows SQLite's
 * own recipe (https://sqlite.org/lang_altertable.html#otheralter): foreign keys off outside the
 * transaction, `PRAGMA foreign_key_check` before COMMIT, foreign keys back on. Reading the last
 * applied migration under the write lock also keeps two processes starting at once from both
 * applying the same migration.
 *
 * Idempotent: a second run on a current database changes nothing.
 *
 * @param db An open connection (see {@linkcode openSqlite}), not inside a transaction.
 * @param options.migrationsFolder A folder to read the migrations from instead of the embedded
 *   ones (tests).
 * @throws {Error} When a migration fails or leaves a foreign key dangling; the database is
 *   then left as it was before the call.
 *
 * @example
 * ```ts
 * const db = openSqlite("./data/sendeasy.sqlite");
 * migrateSqlite(db);
 * ```
 */
export function migrateSqlite(db: Database, options: { migrationsFolder?: string } = {}): void {
  const migrations =
    options.migrationsFolder === undefined
      ? SQLITE_MIGRATIONS
      : readMigrationFiles({ migrationsFolder: options.migrationsFolder });
  const foreignKeys = db.query<{ foreign_keys: number }, []>("PRAGMA foreign_keys").get();
  db.run("PRAGMA foreign_keys = OFF");
  try {
    db.run("BEGIN IMMEDIATE");
    try {
      db.run(
        `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`,
      );
      const last = db
        .query<{ created_at: number }, []>(
          `SELECT created_at FROM "${MIGRATIONS_TABLE}" ORDER BY created_at DESC LIMIT 1`,
        )
        .get();
      const record = db.prepare(
        `INSERT INTO "${MIGRATIONS_TABLE}" ("hash", "created_at") VALUES (?, ?)`,
      );
      const pending = migrations.filter(
        (m) => last === null || Number(last.created_at) < m.folderMillis,
      );
      for (const migration of pending) {
        for (const statement of migration.sql) {
          if (statement.trim() !== "") db.run(statement);
        }
        record.run(migration.hash, migration.folderMillis);
      }
      if (pending.length > 0) assertForeignKeysHold(db);
      db.run("COMMIT");
    } catch (error) {
      if (db.inTransaction) db.run("ROLLBACK");
      throw error;
    }
  } finally {
    if (foreignKeys?.foreign_keys === 1) db.run("PRAGMA foreign_keys = ON");
  }
}

/** @throws {Error} When a row references a missing parent (checked with foreign keys off). */
function assertForeignKeysHold(db: Database): void {
  const dangling = db
    .query<{ table: string; rowid: number; parent: string }, []>("PRAGMA foreign_key_check")
    .all();
  const first = dangling[0];
  if (first !== undefined) {
    throw new Error(
      `Cannot migrate SQLite: ${dangling.length} row(s) would reference missing parents (first: row ${first.rowid} of "${first.table}" → "${first.parent}")`,
    );
  }
}
