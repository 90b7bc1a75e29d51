/**
 * Applying the drizzle-kit migrations in `drizzle/postgres/` (at start and by
 * `sendeasy migrate`).
 *
 * @module
 */
import { join } from "node:path";
import type { SQL } from "bun";
import { type BunSQLDatabase, drizzle } from "drizzle-orm/bun-sql";
import { migrate } from "drizzle-orm/bun-sql/migrator";

/** The folder drizzle-kit generates into (`drizzle.postgres.config.ts`). */
export const POSTGRES_MIGRATIONS_FOLDER: string = join(
  import.meta.dir,
  "../../../drizzle/postgres",
);

/** Key of the advisory lock that lets one instance migrate at a time ("sendeasy" in ASCII). */
const MIGRATION_LOCK = 0x73656e6465617379n;

/**
 * Applies every migration not yet recorded in `drizzle.__drizzle_migrations`, with drizzle's
 * migrator for Bun SQL, in one transaction. Instances starting together take turns on a
 * session advisory lock, so exactly one applies a new migration and the others find it done.
 * Idempotent: a second run on a current database changes nothing.
 *
 * @param db A drizzle database on a Bun SQL pool (see {@linkcode openPostgres}).
 * @param options.migrationsFolder Where the migrations are; default {@linkcode POSTGRES_MIGRATIONS_FOLDER}.
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
      await migrate(drizzle({ client: reserved }), {
        migrationsFolder: options.migrationsFolder ?? POSTGRES_MIGRATIONS_FOLDER,
      });
    } finally {
      await reserved`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`;
    }
  } finally {
    reserved.release();
  }
}
