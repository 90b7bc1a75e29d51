/**
 * Where the at-rest encryption key comes from (docs/configuration.md `SENDEASY_SECRET_KEY`: "generated
 * in data dir" when unset).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The key file's name inside the data directory. */
export const SECRET_KEY_FILE = "secret.key";

/** A key and whether this call generated it (the caller may then log that it did). */
export interface LoadedSecretKey {
  key: string;
  created: boolean;
}

/**
 * Returns the encryption key: `envValue` when set, else the content of `<dataDir>/secret.key`,
 * else 32 fresh random bytes (base64) written to that file with mode 0600, creating `dataDir`
 * when missing. Losing the file makes every sealed secret unreadable, so an existing but empty
 * file is an error rather than a reason to generate a new key.
 *
 * @param dataDir `SENDEASY_DATA_DIR`.
 * @param envValue `SENDEASY_SECRET_KEY`; empty or undefined means unset.
 * @returns The key string for {@linkcode SecretBox.fromKey} and whether it was just generated.
 * @throws {Error} When the key file exists but is empty, or cannot be read or written.
 *
 * @example
 * ```ts
 * const { key, created } = loadOrCreateSecretKey("./data", process.env.SENDEASY_SECRET_KEY);
 * const box = await SecretBox.fromKey(key);
 * ```
 */
export function loadOrCreateSecretKey(
  dataDir: string,
  envValue: string | undefined,
): LoadedSecretKey {
  if (envValue !== undefined && envValue.trim() !== "") {
    return { key: envValue.trim(), created: false };
  }
  const path = join(dataDir, SECRET_KEY_FILE);
  const existing = readKeyFile(path);
  if (existing !== null) return { key: existing, created: false };

  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString("base64");
  try {
    // "wx": never overwrite a key another process wrote between our read and this write.
    writeFileSync(path, `${key}\n`, { flag: "wx", mode: 0o600 });
  } catch (error) {
    if (isCode(error, "EEXIST")) {
      const raced = readKeyFile(path);
      if (raced !== null) return { key: raced, created: false };
    }
    throw error;
  }
  return { key, created: true };
}

/** The trimmed key in `path`, or null when the file does not exist. */
function readKeyFile(path: string): string | null {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if (isCode(error, "ENOENT")) return null;
    throw error;
  }
  const key = text.trim();
  if (key === "") {
    throw new Error(
      `Cannot load the secret key "${path}": the file is empty (restore it or set SENDEASY_SECRET_KEY)`,
    );
  }
  return key;
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
