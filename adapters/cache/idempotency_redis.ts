/**
 * {@linkcode IdempotencyStore} on Redis (docs/api.md#idempotency), shared by every instance:
 * a key used on one instance replays on another.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type {
  IdempotencyClaim,
  IdempotencyStore,
  StoredResponse,
} from "../../core/ports/idempotency_store.ts";
import { RedisLuaScript } from "./_lua_script_redis.ts";
import { boundedRedisCall } from "./redis_client.ts";

/**
 * A record is a hash { fp, exp, state = pending | done, nonce, status, body }. As in SQLite, a
 * record whose `exp` is at or before the caller's `now` counts as absent; PEXPIRE only lets
 * Redis forget it. (A bare `SET NX PX` could not tell the caller's expiry nor a fingerprint.)
 *
 * KEYS[1] record · ARGV fingerprint, now, ttlMs, expiresAt, nonce
 *   → { "claimed" } | { "mismatch" } | { "in_progress" } | { "completed", status, body }
 */
const CLAIM = new RedisLuaScript(`
local found = redis.call('HMGET', KEYS[1], 'fp', 'exp', 'state', 'status', 'body')
if found[1] and tonumber(found[2]) > tonumber(ARGV[2]) then
  if found[1] ~= ARGV[1] then return { 'mismatch' } end
  if found[3] ~= 'done' or not found[4] or not found[5] then return { 'in_progress' } end
  return { 'completed', found[4], found[5] }
end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'exp', ARGV[4], 'state', 'pending', 'nonce', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return { 'claimed' }
`);

/** KEYS[1] record · ARGV status, body. Completes whatever record is there, like SQLite's UPDATE. */
const COMPLETE = new RedisLuaScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'done', 'status', ARGV[1], 'body', ARGV[2])
return 1
`);

/** KEYS[1] record · ARGV nonce ("" for any). Deletes a pending record (of that claim only). */
const RELEASE = new RedisLuaScript(`
local found = redis.call('HMGET', KEYS[1], 'state', 'nonce')
if found[1] ~= 'pending' then return 0 end
if ARGV[1] ~= '' and found[2] ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

/** Options of {@linkcode RedisIdempotencyStore}. */
export interface RedisIdempotencyStoreOptions {
  /** Prefix of the record keys (default `"sendeasy:"`). */
  keyPrefix?: string;
  /** Deadline of each call, in ms (default 500). */
  timeoutMs?: number;
}

/**
 * Idempotency records in Redis with the SQLite store's semantics: `claimed`, `in_progress`,
 * `mismatch` (another fingerprint, whatever the state), `completed`; expiry at the caller's
 * `now`; `release` frees only a pending claim. Each operation is one Lua script, so concurrent
 * claims on any number of instances elect exactly one; calls issued together on one client run
 * in call order.
 *
 * Degradation: unlike the cache and the limiter there is no safe answer without the records,
 * so while Redis is unreachable every call REJECTS — at once when disconnected, after
 * `timeoutMs` when Redis does not answer — and the server decides what to do. A claim that
 * timed out may still reach Redis later (ioredis resends commands cut by a reconnection); the
 * store then sends a release of that very claim behind it, so the key is not left
 * `in_progress` for the whole TTL (best effort: lost if the client drops queued commands).
 *
 * @example
 * ```ts
 * const store = new RedisIdempotencyStore(redis);
 * const claim = await store.claim("int_…", key, { fingerprint, now: Date.now(), ttlMs: 86_400_000 });
 * ```
 */
export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #client: Redis;
  readonly #keyPrefix: string;
  readonly #timeoutMs: number;

  /**
   * @param client A connected client.
   * @param options See {@linkcode RedisIdempotencyStoreOptions}.
   */
  constructor(client: Redis, options: RedisIdempotencyStoreOptions = {}) {
    this.#client = client;
    this.#keyPrefix = `${options.keyPrefix ?? "sendeasy:"}idem:`;
    this.#timeoutMs = options.timeoutMs ?? 500;
  }

  /**
   * Claims `key`, or reports what holds it.
   *
   * @throws {Error} If Redis is unreachable or does not answer within `timeoutMs`.
   */
  async claim(
    scope: string,
    key: string,
    options: { fingerprint: string; now: number; ttlMs: number },
  ): Promise<IdempotencyClaim> {
    const record = this.#key(scope, key);
    const nonce = crypto.randomUUID();
    const { fingerprint, now, ttlMs } = options;
    let sent = false;
    try {
      const reply = await this.#call(`claim idempotency key "${key}" of ${scope}`, () => {
        sent = true;
        return CLAIM.run(this.#client, [record], [fingerprint, now, ttlMs, now + ttlMs, nonce]);
      });
      return toClaim(reply);
    } catch (error) {
      // Queued behind the claim on the same connection, so it runs after it, if ever.
      if (sent) RELEASE.run(this.#client, [record], [nonce]).catch(() => {});
      throw error;
    }
  }

  /**
   * Stores the final response of a claimed key (a key with no record stays without one).
   *
   * @throws {Error} If Redis is unreachable or does not answer within `timeoutMs`.
   */
  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    await this.#call(`complete idempotency key "${key}" of ${scope}`, () =>
      COMPLETE.run(this.#client, [this.#key(scope, key)], [response.status, response.body]),
    );
  }

  /**
   * Frees a still-pending key; a completed record stays (its response keeps replaying).
   *
   * @throws {Error} If Redis is unreachable or does not answer within `timeoutMs`.
   */
  async release(scope: string, key: string): Promise<void> {
    await this.#call(`release idempotency key "${key}" of ${scope}`, () =>
      RELEASE.run(this.#client, [this.#key(scope, key)], [""]),
    );
  }

  /** The scope is URI-encoded, so it holds no ":" and cannot run into the key. */
  #key(scope: string, key: string): string {
    return `${this.#keyPrefix}${encodeURIComponent(scope)}:${key}`;
  }

  #call<T>(action: string, call: () => Promise<T>): Promise<T> {
    return boundedRedisCall(this.#client, call, { action, timeoutMs: this.#timeoutMs });
  }
}

/** Maps the claim script's reply. */
function toClaim(reply: unknown): IdempotencyClaim {
  const [state, status, body] = Array.isArray(reply) ? reply : [];
  switch (state) {
    case "claimed":
    case "in_progress":
    case "mismatch":
      return { state };
    case "completed":
      return { state, response: { status: Number(status), body: String(body) } };
    default:
      throw new Error(
        `Cannot read an idempotency claim: unexpected reply ${JSON.stringify(reply)}`,
      );
  }
}
