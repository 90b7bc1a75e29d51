/**
 * Keys of the settings page, derived from the server's secret key (docs/configuration.md
 * `SENDEASY_SECRET_KEY`), so every instance sharing that key accepts the same sessions.
 *
 * @module
 */
import { createHmac } from "node:crypto";

/** One key per purpose: signing sessions, sealing one-time flash messages. */
export interface UiKeys {
  session: Buffer;
  flash: Buffer;
}

/**
 * Derives the page's keys (HMAC-SHA256 of a purpose label, keyed by the secret key).
 *
 * @param secretKey the server's secret key material, as loaded at start
 * @param options.operatorKey `SENDEASY_ADMIN_KEY` when set: changing it signs every session out
 * @returns one 32-byte key per purpose
 * @example
 * const keys = deriveUiKeys(loadOrCreateSecretKey(dataDir, env.secretKey).key);
 */
export function deriveUiKeys(
  secretKey: string,
  options: { operatorKey?: string | null } = {},
): UiKeys {
  const binding = options.operatorKey ?? "";
  const derive = (purpose: string): Buffer =>
    createHmac("sha256", secretKey).update(`sendeasy/ui/${purpose}/v1\u0000${binding}`).digest();
  return { session: derive("session"), flash: derive("flash") };
}
