/**
 * One-time messages between a POST and the page it redirects to (post/redirect/get): a
 * secret shown once, or a notice. Sealed with AES-256-GCM into a short-lived cookie bound to
 * the session, and cleared by the page that shows it, so a reload shows nothing and any
 * instance can read it.
 *
 * @module
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Long enough for a redirect, short enough that a forgotten secret does not linger. */
export const FLASH_TTL_MS = 2 * 60 * 1000;

/** A secret revealed once: a custom token or a webhook signing secret. */
export interface RevealedSecret {
  integrationId: string;
  kind: "token" | "signingSecret";
  value: string;
}

/** What a flash carries. */
export interface Flash {
  notice?: { tone: "ok" | "error"; text: string };
  secret?: RevealedSecret;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Seals and opens flash cookie values. */
export class FlashBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    this.#key = key;
  }

  /** The cookie value carrying `flash` for the session `sid`. */
  seal(flash: Flash, sid: string, now: number): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(sid));
    const plain = JSON.stringify({ flash, exp: now + FLASH_TTL_MS });
    const sealed = Buffer.concat([
      cipher.update(plain, "utf8"),
      cipher.final(),
      cipher.getAuthTag(),
    ]);
    return Buffer.concat([iv, sealed]).toString("base64url");
  }

  /** The flash, or null when absent, expired, tampered with or sealed for another session. */
  open(value: string | null, sid: string, now: number): Flash | null {
    if (value === null || value === "") return null;
    try {
      const bytes = Buffer.from(value, "base64url");
      const iv = bytes.subarray(0, IV_BYTES);
      const tag = bytes.subarray(bytes.length - TAG_BYTES);
      const decipher = createDecipheriv("aes-256-gcm", this.#key, iv);
      decipher.setAAD(Buffer.from(sid));
      decipher.setAuthTag(tag);
      const plain = Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
      const { flash, exp } = JSON.parse(plain) as { flash: Flash; exp: number };
      return exp > now ? flash : null;
    } catch {
      // A cookie that does not open is one to ignore (another session's, or a stale key's).
      return null;
    }
  }
}
