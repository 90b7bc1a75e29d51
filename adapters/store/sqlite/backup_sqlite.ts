/**
 * Online backups of the embedded SQLite database: `VACUUM INTO` on a connection of its own
 * reads one consistent snapshot while the server keeps writing (WAL), into a single file that
 * can carry a few extra values (the secret key) in a table the restore removes again.
 *
 * @module
 */
import { Database } from "bun:sqlite";
import { randomBytes } from "node:crypto";
import { existsSync, renameSync, rmSync, statSync } from "node:fs";
import { makePrivateFile } from "../../fs/private_files.ts";
import { BUSY_TIMEOUT_MS } from "./open_sqlite.ts";

/** The table of a backup file holding its extra values (absent from a live database). */
export const BACKUP_TABLE = "_sendeasy_backup";

/**
 * Copies the live database at `source` into `out` (replaced atomically when it exists; mode
 * 0600), adds `extras`, and checks the copy with `PRAGMA integrity_check`.
 *
 * @param source The live database file.
 * @param out Where the backup goes.
 * @param extras Values stored with the copy (name → text).
 * @returns The backup's size in bytes.
 * @throws {Error} When there is no database at `source`, or the copy fails its check.
 */
export function backupSqlite(source: string, out: string, extras: Record<string, string>): number {
  if (!existsSync(source)) throw new Error(`No SQLite database at ${source}`);
  const partial = `${out}.partial-${randomBytes(4).toString("hex")}`;
  try {
    // Created empty with mode 0600 first (VACUUM INTO accepts an empty file): never readable
    // by others, not even while it is written.
    makePrivateFile(partial);
    const live = new Database(source, { readwrite: true, create: false });
    try {
      live.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // One read transaction: a snapshot of the last commit, whatever the writer does meanwhile.
      live.run("VACUUM INTO ?", [partial]);
    } finally {
      live.close();
    }
    const copy = new Database(partial, { readwrite: true, create: false });
    try {
      copy.run(`CREATE TABLE "${BACKUP_TABLE}" (name TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      const insert = copy.prepare(`INSERT INTO "${BACKUP_TABLE}" (name, value) VALUES (?, ?)`);
      for (const [name, value] of Object.entries(extras)) insert.run(name, value);
      assertIntact(copy, out);
    } finally {
      copy.close();
    }
    renameSync(partial, out);
    return statSync(out).size;
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * Checks a backup file and reads its extra values.
 *
 * @throws {Error} When the file is not a SQLite database or fails `PRAGMA integrity_check`.
 */
export function readSqliteBackup(file: string): Record<string, string> {
  if (!existsSync(file)) throw new Error(`No backup file at ${file}`);
  let db: Database;
  try {
    db = new Database(file, { readonly: true });
  } catch (error) {
    throw new Error(`${file} is not a Sendeasy backup: ${String(error)}`);
  }
  try {
    assertIntact(db, file);
    const table = db
      .query<{ name: string }, [string]>("SELECT name FROM sqlite_master WHERE name = ?")
      .get(BACKUP_TABLE);
    if (table === null) return {};
    const rows = db
      .query<{ name: string; value: string }, []>(`SELECT name, value FROM "${BACKUP_TABLE}"`)
      .all();
    return Object.fromEntries(rows.map((row) => [row.name, row.value]));
  } finally {
    db.close();
  }
}

/**
 * Writes the database of a checked backup file to `target` (which must not exist), without
 * the backup's extra values.
 */
export function restoreSqlite(file: string, target: string): void {
  if (existsSync(target)) throw new Error(`${target} already exists`);
  const partial = `${target}.partial-${randomBytes(4).toString("hex")}`;
  try {
    makePrivateFile(partial);
    const backup = new Database(file, { readonly: true });
    try {
      backup.run("VACUUM INTO ?", [partial]);
    } finally {
      backup.close();
    }
    const db = new Database(partial, { readwrite: true, create: false });
    try {
      db.run(`DROP TABLE IF EXISTS "${BACKUP_TABLE}"`);
      assertIntact(db, target);
    } finally {
      db.close();
    }
    renameSync(partial, target);
  } finally {
    rmSync(partial, { force: true });
  }
}

function assertIntact(db: Database, name: string): void {
  const rows = db.query<{ integrity_check: string }, []>("PRAGMA integrity_check").all();
  const problems = rows.map((row) => row.integrity_check).filter((line) => line !== "ok");
  if (problems.length > 0 || rows.length === 0) {
    throw new Error(`${name} failed its integrity check: ${problems.slice(0, 3).join("; ")}`);
  }
}
