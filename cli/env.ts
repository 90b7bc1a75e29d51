/**
 * The CLI's environment (README.md#admin-api-and-cli, docs/configuration.md), validated once at start with clear messages.
 *
 * @module
 */

/** What the CLI reads from the environment, parsed. */
export interface CliEnv {
  /** `SENDEASY_URL` without trailing slashes; default `http://localhost:3000`. */
  baseUrl: string;
  /** `SENDEASY_ADMIN_KEY`, or `null` when unset or blank. */
  adminKey: string | null;
}

const DEFAULT_URL = "http://localhost:3000";

/**
 * Parses the CLI's environment.
 *
 * @param source Usually `process.env`.
 * @returns The settings, or one sentence per bad variable.
 *
 * @example
 * ```ts
 * parseCliEnv({ SENDEASY_URL: "https://sendeasy.example.com/" });
 * // { ok: true, env: { baseUrl: "https://sendeasy.example.com", adminKey: null } }
 * ```
 */
export function parseCliEnv(
  source: Readonly<Record<string, string | undefined>>,
): { ok: true; env: CliEnv } | { ok: false; problems: string[] } {
  const url = source.SENDEASY_URL?.trim() || DEFAULT_URL;
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    return {
      ok: false,
      problems: [`SENDEASY_URL must be an http(s) URL such as ${DEFAULT_URL}, got "${url}"`],
    };
  }
  const adminKey = source.SENDEASY_ADMIN_KEY?.trim() || null;
  return { ok: true, env: { baseUrl: url.replace(/\/+$/, ""), adminKey } };
}
