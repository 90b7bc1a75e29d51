/**
 * Token → channel resolution for `POST /api/integration/generic` (docs/api.md#sending, docs/api.md#tokens): the token,
 * never the body, decides the company, channel and integration a send goes through.
 *
 * @module
 */
import type { Channel, Company, CustomIntegration } from "./domain.ts";
import { ERROR_CATALOGUE } from "./errors.ts";
import type { TokenMatch, TokenStore } from "./ports/token_store.ts";
import { hashToken, isTokenExpired, isTokenShaped, parseBearer } from "./tokens.ts";

/** SHA-256 of a token's UTF-8 bytes in lower-case hex, as {@linkcode hashToken} computes it. */
export type TokenHasher = (token: string) => string | Promise<string>;

/**
 * The outcome of {@link resolveToken}. On `ERR_NO_PERMISSION`, `reason` is for logs only: the
 * response must be the same in every case (docs/api.md#sending).
 *
 * @example
 * ```ts
 * const denied: TokenResolution = { ok: false, code: "ERR_NO_PERMISSION", reason: "rotated" };
 * ```
 */
export type TokenResolution =
  | {
      ok: true;
      company: Company;
      channel: Channel;
      integration: CustomIntegration;
      /** Lets the caller record `lastUsedAt` or cache the resolution without rehashing. */
      tokenHash: string;
    }
  | {
      ok: false;
      code: "ERR_NO_PERMISSION";
      reason: "missing" | "malformed" | "unknown" | "rotated" | "revoked" | "expired" | "disabled";
    }
  | { ok: false; code: "CHANNEL_NOT_FOUND"; reason: "channel_deleted" };

/**
 * The one message every `ERR_NO_PERMISSION` answer carries, whatever the reason.
 *
 * @example
 * ```ts
 * import { errorBody } from "./errors.ts";
 *
 * errorBody("ERR_NO_PERMISSION", { requestId: "req_1", message: SAFE_NO_PERMISSION_MESSAGE }).status; // 401
 * ```
 */
export const SAFE_NO_PERMISSION_MESSAGE: string = ERROR_CATALOGUE.ERR_NO_PERMISSION.message;

function denied(
  reason: Extract<TokenResolution, { code: "ERR_NO_PERMISSION" }>["reason"],
): TokenResolution {
  return { ok: false, code: "ERR_NO_PERMISSION", reason };
}

/**
 * Resolves an `Authorization` header to the company, channel and custom integration it may
 * send through. Checks, in order: header missing or malformed (the store is consulted only for
 * a well-shaped token), token unknown, rotated or revoked, expired (the token's or the
 * integration's `expiresAt`), integration disabled, channel deleted.
 *
 * @param authorization The raw `Authorization` header.
 * @param options.store Looks a token up by its hash.
 * @param options.now Milliseconds since the Unix epoch, for expiry.
 * @param options.hash The token hash ({@linkcode hashToken}'s algorithm); default `hashToken`.
 *   A host with a synchronous SHA-256 passes it, to keep WebCrypto's asynchronous digest off
 *   every send (README "Performance").
 * @returns The resolution, or why there is none.
 * @throws {Error} When the store answers with records that do not belong together (a store bug).
 *
 * @example
 * ```ts
 * import type { TokenStore } from "./ports/token_store.ts";
 *
 * // A store that knows no token (see the package README for one that does).
 * const store: TokenStore = { findTokenByHash: async () => null };
 * await resolveToken(`Bearer se_${"a".repeat(43)}`, { store, now: Date.now() });
 * // { ok: false, code: "ERR_NO_PERMISSION", reason: "unknown" }
 * await resolveToken(undefined, { store, now: Date.now() }); // { ok: false, code: "ERR_NO_PERMISSION", reason: "missing" }
 * ```
 */
export async function resolveToken(
  authorization: string | null | undefined,
  options: { store: TokenStore; now: number; hash?: TokenHasher },
): Promise<TokenResolution> {
  const bearer = parseBearer(authorization);
  if (!bearer.ok) return denied(bearer.reason);
  if (!isTokenShaped(bearer.token)) return denied("malformed");

  const tokenHash = await (options.hash ?? hashToken)(bearer.token);
  const match = await options.store.findTokenByHash(tokenHash);
  if (match === null) return denied("unknown");
  const { token, integration, company, channel } = match;
  assertConsistent(tokenHash, match);

  if (token.status === "rotated" || token.status === "revoked") return denied(token.status);
  if (isTokenExpired(token.expiresAt, options.now)) return denied("expired");
  if (isTokenExpired(integration.expiresAt, options.now)) return denied("expired");
  if (!integration.enabled) return denied("disabled");
  if (channel === null || channel.deletedAt !== null) {
    return { ok: false, code: "CHANNEL_NOT_FOUND", reason: "channel_deleted" };
  }
  return { ok: true, company, channel, integration, tokenHash };
}

// Nothing crosses companies: a store that joins the wrong rows is a bug, so fail loudly
// (a 500) instead of letting a token send through someone else's channel.
function assertConsistent(tokenHash: string, match: TokenMatch): void {
  const problem = findInconsistency(tokenHash, match);
  if (problem !== null) {
    throw new Error(`Cannot resolve token of integration "${match.integration.id}": ${problem}`);
  }
}

function findInconsistency(tokenHash: string, match: TokenMatch): string | null {
  const { token, integration, company, channel } = match;
  if (token.hash !== tokenHash) return "the store returned a token with another hash";
  if (token.integrationId !== integration.id) return "the token belongs to another integration";
  if (integration.companyId !== company.id) return "the integration belongs to another company";
  if (channel === null) return null;
  if (channel.id !== integration.channelId) return "the channel is not the integration's channel";
  if (channel.companyId !== company.id) return "the channel belongs to another company";
  return null;
}
