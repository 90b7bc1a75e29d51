/**
 * Idempotency records of `POST /api/integration/generic` (docs/api.md#idempotency).
 *
 * @module
 */

/** A response kept to be replayed for a repeated key. */
export interface StoredResponse {
  status: number;
  /** The exact JSON body sent the first time. */
  body: string;
}

/** What a new request with a key finds. */
export type IdempotencyClaim =
  | { state: "claimed" }
  | { state: "in_progress" }
  | { state: "mismatch" }
  | { state: "completed"; response: StoredResponse };

/** Keys are scoped (by integration id); records live for `ttlMs` (24 h). */
export interface IdempotencyStore {
  /** Claims `key` for a request whose body hashes to `fingerprint`, or reports what holds it. */
  claim(
    scope: string,
    key: string,
    options: { fingerprint: string; now: number; ttlMs: number },
  ): Promise<IdempotencyClaim>;
  /** Stores the final response of a claimed key. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Frees a claimed key after an unexpected fault, so the caller may retry. */
  release(scope: string, key: string): Promise<void>;
}
