/**
 * `sendeasy backup` and `sendeasy restore` (docs/operations.md "Back up and restore"): the
 * embedded database, copied consistently while the server runs, with the secret key that
 * opens its sealed credentials. With Postgres, `pg_dump` is the tool.
 *
 * @module
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { SECRET_KEY_FILE } from "../adapters/crypto/secret_key_file.ts";
import { makePrivateDir } from "../adapters/fs/private_files.ts";
import {
  backupSqlite,
  readSqliteBackup,
  restoreSqlite,
} from "../adapters/store/sqlite/backup_sqlite.ts";
import { parseEnv, type ServerEnv } from "./env.ts";

/** What a backup or restore has to say: lines for stdout, warnings for stderr. */
export interface BackupReport {
  lines: string[];
  warnings: string[];
}

const DATABASE_FILE = "sendeasy.sqlite";
const KEY_EXTRA = "secret_key";

const POSTGRES =
  "DATABASE_URL is set: the data is in PostgreSQL, which sendeasy backup does not copy. " +
  'Use pg_dump (e.g. pg_dump --format=custom --file=sendeasy.dump "$DATABASE_URL") and ' +
  "pg_restore, and keep SENDEASY_SECRET_KEY with the dump: without it no sealed credential opens.";

const KEY_OUTSIDE =
  "the secret key comes from SENDEASY_SECRET_KEY, not the data dir, so it is NOT in this " +
  "backup: keep that value with the backup, or no sealed credential (provider keys, webhook " +
  "secrets) can be opened after a restore";

/**
 * Backs up the embedded database of the environment's data dir to `out`.
 *
 * @param source Usually `process.env`.
 * @param out The backup file.
 * @throws {Error} With Postgres (pg_dump is the tool), with no database, or a failed check.
 */
export function runBackup(source: Record<string, string | undefined>, out: string): BackupReport {
  const env = sqliteEnv(source);
  const warnings: string[] = [];
  const extras: Record<string, string> = { created_at: new Date().toISOString() };
  if (env.secretKey !== null) {
    warnings.push(KEY_OUTSIDE);
  } else {
    const keyPath = join(env.dataDir, SECRET_KEY_FILE);
    if (!existsSync(keyPath)) throw new Error(`No secret key at ${keyPath}: nothing to back up`);
    extras[KEY_EXTRA] = readFileSync(keyPath, "utf8").trim();
  }
  const bytes = backupSqlite(join(env.dataDir, DATABASE_FILE), out, extras);
  const key = env.secretKey === null ? "with the secret key" : "WITHOUT the secret key";
  const size = `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const lines = [`backup written to ${resolve(out)} (${size}, integrity ok, ${key})`];
  if (env.secretKey === null)
    lines.push("keep it private: it holds the key to every sealed secret");
  return { lines, warnings };
}

/**
 * Restores a backup into the environment's data dir, which must be empty or missing.
 *
 * @param source Usually `process.env`.
 * @param file The backup file.
 * @throws {Error} With Postgres, a data dir that is not empty, or a file that fails its check.
 */
export function runRestore(source: Record<string, string | undefined>, file: string): BackupReport {
  const env = sqliteEnv(source);
  const dir = env.dataDir;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(
      `${resolve(dir)} is not empty: restore only into an empty data dir (stop the server, move the old one aside)`,
    );
  }
  const extras = readSqliteBackup(file);
  makePrivateDir(dir);
  restoreSqlite(file, join(dir, DATABASE_FILE));
  const lines = [`restored ${resolve(file)} into ${resolve(dir)}`];
  const warnings: string[] = [];
  const key = extras[KEY_EXTRA];
  if (key !== undefined) {
    writeFileSync(join(dir, SECRET_KEY_FILE), `${key}\n`, { flag: "wx", mode: 0o600 });
    lines.push(`secret key restored to ${join(resolve(dir), SECRET_KEY_FILE)}`);
    if (env.secretKey !== null && env.secretKey !== key) {
      warnings.push(
        "SENDEASY_SECRET_KEY is set and differs from the backup's key; it wins at start",
      );
    }
  } else if (env.secretKey === null) {
    warnings.push(
      "this backup holds no secret key: set SENDEASY_SECRET_KEY to the key of the server it came from",
    );
  }
  return { lines, warnings };
}

function sqliteEnv(source: Record<string, string | undefined>): ServerEnv {
  const parsed = parseEnv(source);
  if (!parsed.ok) throw new Error(`Invalid environment:\n  - ${parsed.problems.join("\n  - ")}`);
  if (parsed.env.databaseUrl !== null) throw new Error(POSTGRES);
  return parsed.env;
}
