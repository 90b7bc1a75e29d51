/**
 * Files only this server's user may read: the data directory (0700) and what is in it — the
 * SQLite database with its `-wal` and `-shm` files, the generated secret key — (0600). A
 * directory or file an older version left readable by others is tightened, never loosened.
 *
 * @module
 */
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";

/**
 * Creates `path` (and missing parents) with mode 0700, or takes the group's and others' bits
 * off an existing one.
 *
 * @param path the directory
 * @example
 * makePrivateDir("./data");
 */
export function makePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  tighten(path);
}

/**
 * Creates `path` empty with mode 0600 when it is missing, or takes the group's and others' bits
 * off an existing one. SQLite gives its `-wal` and `-shm` files the database file's mode.
 *
 * @param path the file
 * @example
 * makePrivateFile("./data/sendeasy.sqlite");
 */
export function makePrivateFile(path: string): void {
  if (!existsSync(path)) closeSync(openSync(path, "a", 0o600));
  tighten(path);
}

/** Takes the group's and others' bits off `path` if it exists. */
export function tighten(path: string): void {
  if (!existsSync(path)) return;
  const mode = statSync(path).mode & 0o777;
  if ((mode & 0o077) !== 0) chmodSync(path, mode & 0o700);
}
