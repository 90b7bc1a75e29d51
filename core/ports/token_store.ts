/**
 * What token resolution needs from storage: one lookup by token hash.
 *
 * @module
 */
import type { Channel, Company, CustomIntegration, TokenRecord } from "../domain.ts";

/** A stored token with everything needed to decide whether it may send. */
export interface TokenMatch {
  token: TokenRecord;
  integration: CustomIntegration;
  company: Company;
  /** `null` when the channel row is gone; a soft-deleted channel has `deletedAt` set. */
  channel: Channel | null;
}

/** Finds a token by the SHA-256 hex hash of its secret. */
export interface TokenStore {
  /** Resolves to `null` when no token with this hash was ever issued. */
  findTokenByHash(hash: string): Promise<TokenMatch | null>;
}
