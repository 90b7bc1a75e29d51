/**
 * drizzle-kit migrations as data: the journal and the SQL files are imported (so
 * `bun build --compile` embeds them in the executable) and turned into the same
 * `MigrationMeta` list that drizzle-orm's `readMigrationFiles` reads from a folder.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { MigrationMeta } from "drizzle-orm/migrator";

/** The part of drizzle-kit's `meta/_journal.json` the migrators read. */
export interface MigrationJournal {
  entries: readonly { tag: string; when: number; breakpoints: boolean }[];
}

/**
 * The migrations of a journal, in its order, exactly as `readMigrationFiles` would read them
 * (statements split on drizzle-kit's breakpoint marker, hash = SHA-256 of the file).
 *
 * @param journal The parsed `meta/_journal.json`.
 * @param sqlByTag Each migration file's text by its tag (`0000_init`).
 * @throws {Error} When the journal names a migration with no text.
 *
 * @example
 * ```ts
 * migrationsFrom({ entries: [{ tag: "0000_init", when: 1, breakpoints: true }] }, { "0000_init": "CREATE TABLE t (id int);" });
 * ```
 */
export function migrationsFrom(
  journal: MigrationJournal,
  sqlByTag: Readonly<Record<string, string>>,
): MigrationMeta[] {
  return journal.entries.map((entry) => {
    const query = sqlByTag[entry.tag];
    if (query === undefined) throw new Error(`No embedded migration ${entry.tag}.sql`);
    return {
      sql: query.split("--> statement-breakpoint"),
      bps: entry.breakpoints,
      folderMillis: entry.when,
      hash: createHash("sha256").update(query).digest("hex"),
    };
  });
}
