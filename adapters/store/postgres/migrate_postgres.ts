/**
 * Applying the drizzle-kit migrations in `drizzle/postgres/` (at start and by
 * `sendeasy migrate`).
 *
 * @module
 */
import { join } from "node:path";
import type { SQL } from "bun";
import { type BunSQLDatabase, drizzle } from "drizzle-orm/bun-sql";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { PgDialect } from "drizzle-orm/pg-core";
import { POSTGRES_MIGRATIONS } from "./postgres_migrations.ts";

/** The folder drizzle-kit generates into (`drizzle.postgres.config.ts`); the migrations
 * themselves are embedded ({@linkcode POSTGRES_MIGRATIONS}). */
export const POSTGRES_MIGRATIONS_FOLDER: string = join(
  import.meta.dir,
  "../../../drizzle/postgres",
);

type PgMigrateSession = Parameters<PgDialect["migrate"]>[1];

/** Key of the advisory lock that lets one instance migrate at a time ("sendeasy" in ASCII). */
const MIGRATION_LOCK = 0x73656e6465617379n;

/**
 * Applies every migration not yet recorded in `drizzle.__drizzle_migrations`, with drizzle's
 * dialect's migrator (what `drizzle-orm/bun-sql/migrator` runs), in one transaction. Instances starting together take turns on a
 * session advisory lock, so exactly one applies a new migration and the others find it done.
 * Idempotent: a second run on a current database changes nothing.
 *
 * @param db A drizzle database on a Bun SQL pool (see {@linkcode openPostgres}).
 * @param options.migrationsFolder A folder to read the migrations from instead of the embedded
 *   ones (tests).
 * @throws {Error} When a migration fails; the database is left as it was before that call.
 *
 * @example
 * ```ts
 * const db = drizzle({ client: openPostgres(process.env.DATABASE_URL!) });
 * await migratePostgres(db);
 * ```
 */
export async function migratePostgres(
  db: BunSQLDatabase & { $client: SQL },
  options: { migrationsFolder?: string } = {},
): Promise<void> {
  // One connection for the lock, the migrator's reads and its transaction: a session lock
  // belongs to the connection that took it.
  const reserved = await db.$client.reserve();
  try {
    await reserved`SELECT pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      const folder = options.migrationsFolder;
      const migrations =
        folder === undefined
          ? [...POSTGRES_MIGRATIONS]
          : readMigrationFiles({ migrationsFolder: folder });
      // The session drizzle's own migrator hands to the dialect (its types are narrower).
      const session = drizzle({ client: reserved })._.session as unknown as PgMigrateSession;
      await new PgDialect().migrate(migrations, session, { migrationsFolder: folder ?? "" });
    } finally {
      await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    reserved.release();
  }
}
