/**
 * Opening the embedded database with the settings the durability rules need.
 *
 * @module
 */
import { Database } from "bun:sqlite";
import { dirname } from "node:path";
import { makePrivateDir, makePrivateFile, tighten } from "../../fs/private_files.ts";

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating when missing, parent directories included, readable by this user only:
 * directory 0700, files 0600) the SQLite file at `path` with
 * WAL journaling, `synchronous = FULL` (a commit is on disk before it is acknowledged: docs/architecture.md#the-life-of-one-delivery), a busy timeout and foreign keys enforced.
 *
 * @param path A file path, or `:memory:` for a throwaway database.
 * @returns The open connection; the caller closes it.
 *
 * @example
 * ```ts
 * const db = openSqlite("./data/sendeasy.sqlite");
 * migrateSqlite(db);
 * ```
 */
export function openSqlite(path: string): Database {
  const onDisk = path !== ":memory:" && path !== "" && !path.startsWith("file:");
  if (onDisk) {
    makePrivateDir(dirname(path));
    // Messages and tokens' hashes live here: readable by this user only (0600), and SQLite
    // gives its -wal and -shm files the same mode.
    makePrivateFile(path);
  }
  const db = new Database(path, { create: true, readwrite: true });
  // First, so that the pragmas below wait for another connection's lock too.
  db.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  db.run("PRAGMA journal_mode = WAL");
  db.run("PRAGMA synchronous = FULL");
  db.run("PRAGMA foreign_keys = ON");
  if (onDisk) for (const suffix of ["-wal", "-shm"]) tighten(`${path}${suffix}`);
  return db;
}
