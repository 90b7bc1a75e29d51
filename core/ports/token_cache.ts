/**
 * A cache in front of the token store; invalidation must reach every instance at once
 * (SPEC.md §5: rotation invalidates the old token immediately, on every instance).
 *
 * @module
 */
import type { TokenMatch } from "./token_store.ts";

export interface TokenCache {
  get(hash: string): TokenMatch | null | undefined;
  set(hash: string, match: TokenMatch | null): void;
  /** Drops the entries for these hashes everywhere. */
  invalidate(hashes: readonly string[]): Promise<void>;
  /** Drops every entry (channel or integration changes). */
  clear(): Promise<void>;
  /**
   * Changes on every invalidation or clear, local or from another instance. A lookup that read
   * the store under one generation must not be cached under another: it may predate a rotation.
   */
  generation(): number;
}
