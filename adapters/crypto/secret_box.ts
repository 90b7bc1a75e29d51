/**
 * Encryption of secrets at rest (docs/configuration.md `SENDEASY_SECRET_KEY`): provider credentials,
 * webhook bearer tokens and signing secrets are sealed with AES-256-GCM before they reach a
 * database.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;

/**
 * Seals and opens strings with one AES-256-GCM key. A sealed value is
 * `"v1:" + base64(iv ‖ ciphertext ‖ tag)` with a fresh random 96-bit IV each time, so the same
 * plaintext never seals to the same text twice; any change to a sealed value makes
 * {@linkcode SecretBox.decrypt} throw.
 *
 * Both methods are synchronous (node:crypto) so the send path never waits on WebCrypto.
 *
 * @example
 * ```ts
 * const box = await SecretBox.fromKey(loadOrCreateSecretKey("./data", undefined).key);
 * const sealed = box.encrypt("sk_live_123");
 * box.decrypt(sealed); // "sk_live_123"
 * ```
 */
export class SecretBox {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /**
   * Builds a box from a key string.
   *
   * - A string that is canonical base64 (standard or URL-safe, padding optional) of exactly 32
   *   bytes is used as the raw AES key: what {@linkcode loadOrCreateSecretKey} generates and
   *   what `openssl rand -base64 32` prints.
   * - Any other non-empty string is treated as a passphrase and hashed with SHA-256 into the key.
   *   There is no key stretching, so a passphrase must itself be long and random.
   *
   * Async so that a WebCrypto-backed implementation can keep the same signature.
   *
   * @param key The `SENDEASY_SECRET_KEY` value or the content of `secret.key`.
   * @returns A box that seals and opens with that key.
   * @throws {TypeError} When `key` is empty or only whitespace.
   */
  static fromKey(key: string): Promise<SecretBox> {
    const trimmed = key.trim();
    if (trimmed === "") {
      return Promise.reject(new TypeError("Cannot build a SecretBox: the key is empty"));
    }
    return Promise.resolve(new SecretBox(rawKeyOf(trimmed) ?? sha256(trimmed)));
  }

  /**
   * Seals `plain`.
   *
   * @param plain Any string (UTF-8 encoded before encryption).
   * @returns `"v1:" + base64(iv ‖ ciphertext ‖ tag)`.
   */
  encrypt(plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    const body = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
    return VERSION + Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64");
  }

  /**
   * Opens a value sealed by {@linkcode SecretBox.encrypt} with the same key.
   *
   * @param sealed A `"v1:…"` string.
   * @returns The original plaintext.
   * @throws {Error} When the value is malformed, was altered, or was sealed with another key.
   */
  decrypt(sealed: string): string {
    if (!sealed.startsWith(VERSION)) {
      throw new Error(`Cannot open sealed value: expected the "${VERSION}" prefix`);
    }
    const bytes = Buffer.from(sealed.slice(VERSION.length), "base64");
    if (bytes.length < IV_BYTES + TAG_BYTES) {
      throw new Error("Cannot open sealed value: it is too short");
    }
    const iv = bytes.subarray(0, IV_BYTES);
    const tag = bytes.subarray(bytes.length - TAG_BYTES);
    const decipher = createDecipheriv("aes-256-gcm", this.#key, iv);
    decipher.setAuthTag(tag);
    try {
      const body = bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES);
      return Buffer.concat([decipher.update(body), decipher.final()]).toString("utf8");
    } catch {
      throw new Error("Cannot open sealed value: it was altered or sealed with another key");
    }
  }
}

/** The 32 raw bytes of `key` when it is canonical base64 of exactly 32 bytes, else null. */
function rawKeyOf(key: string): Buffer | null {
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(key)) return null;
  const bytes = Buffer.from(key, "base64");
  if (bytes.length !== KEY_BYTES) return null;
  // Canonical check: a passphrase that merely looks like base64 must not be read as a raw key.
  const unpadded = key.replace(/=+$/, "");
  const standard = bytes.toString("base64").replace(/=+$/, "");
  const urlSafe = bytes.toString("base64url");
  return unpadded === standard || unpadded === urlSafe ? bytes : null;
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

// The brief names this file as the home of both halves of at-rest encryption; the key loader
// lives in its own file (one concept per file) and is re-exported here for that import path.
export { type LoadedSecretKey, loadOrCreateSecretKey } from "./secret_key_file.ts";
