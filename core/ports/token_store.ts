/**
 * What token resolution needs from storage: one lookup by token hash.
 *
 * @module
 */
import type { Channel, Company, CustomIntegration, TokenRecord } from "../domain.ts";

/**
 * A stored token with everything needed to decide whether it may send.
 *
 * @example
 * ```ts
 * const at = new Date("2025-01-01T00:00:00Z");
 * const match: TokenMatch = {
 *   token: { hash: "9f86d0…", integrationId: "int_1", status: "active", createdAt: at, expiresAt: null },
 *   integration: {
 *     id: "int_1", companyId: "co_1", kind: "custom", name: "Shop", enabled: true, channelId: "ch_1",
 *     tokenPrefix: "Ab3dEf9h", tokenCreatedAt: at, rotatedAt: null, lastUsedAt: null, expiresAt: null,
 *     rateLimit: null, createdAt: at, updatedAt: at,
 *   },
 *   company: { id: "co_1", name: "Acme", createdAt: at },
 *   channel: {
 *     id: "ch_1", companyId: "co_1", type: "sms", provider: "twilio", name: "Alerts",
 *     address: "+5511999999999", config: {}, credits: null, createdAt: at, deletedAt: null,
 *   },
 * };
 * ```
 */
export interface TokenMatch {
  token: TokenRecord;
  integration: CustomIntegration;
  company: Company;
  /** `null` when the channel row is gone; a soft-deleted channel has `deletedAt` set. */
  channel: Channel | null;
}

/**
 * Finds a token by the SHA-256 hex hash of its secret: whatever holds your tokens (a table, a
 * map, a key-value store) behind one lookup.
 *
 * @example
 * ```ts
 * const rows = new Map<string, TokenMatch>(); // filled from your database, keyed by hash
 * const store: TokenStore = { findTokenByHash: async (hash) => rows.get(hash) ?? null };
 * await store.findTokenByHash("0".repeat(64)); // null
 * ```
 */
export interface TokenStore {
  /** Resolves to `null` when no token with this hash was ever issued. */
  findTokenByHash(hash: string): Promise<TokenMatch | null>;
}
