/**
 * Token cache for several instances (SPEC.md §5: rotation invalidates the old token
 * immediately, on every instance): entries stay in process, invalidations travel by Redis
 * pub/sub.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";
import { RedisSubscription } from "./_subscription_redis.ts";
import { boundedRedisCall, duplicateForSubscribing, untilRedisReady } from "./redis_client.ts";
import { MemoryTokenCache } from "./token_cache_memory.ts";

/** Options of {@linkcode RedisTokenCache}. */
export interface RedisTokenCacheOptions {
  /** A connection for pub/sub only (default: a duplicate of `client`, closed by `close()`). */
  subscriber?: Redis;
  /** Prefix of the channel name; instances sharing it share invalidations (default `"sendeasy:"`). */
  keyPrefix?: string;
  /** Bound on cached hashes per instance (default 10 000). */
  maxEntries?: number;
  /** How long an entry is trusted, in ms (default 5 000). */
  ttlMs?: number;
  /** Deadline of the PUBLISH of an invalidation, in ms (default 1 000). */
  publishTimeoutMs?: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/** What travels on the channel. */
type Invalidation = { op: "invalidate"; hashes: string[] } | { op: "clear" };

/**
 * The port's `get` is synchronous, so each instance keeps its entries in a bounded in-process
 * map ({@linkcode MemoryTokenCache}) and every instance subscribes to one channel on which
 * `invalidate` and `clear` are published.
 *
 * Degradation, by design: a local entry is only trustworthy while no invalidation can be
 * missed, that is while the subscription is active. So when the subscriber connection drops
 * (Redis restarted or unreachable) the cache clears itself and stops caching — `get` returns
 * `undefined`, `set` does nothing, every lookup goes to the database — until the channel is
 * subscribed again, when it starts from empty. What remains is a partition the subscriber's
 * socket does not notice (no FIN, no error): entries then live at most `ttlMs`.
 *
 * `invalidate` and `clear` drop local entries first, then resolve once Redis acknowledged the
 * PUBLISH. Redis writes the message to every subscriber before it acknowledges, so other
 * instances drop their entries within one network hop of that moment; if Redis cannot be
 * reached they reject, and the caller should not report the rotation as effective everywhere.
 *
 * @example
 * ```ts
 * const cache = new RedisTokenCache(redis, { keyPrefix: "sendeasy:" });
 * const tokens = new CachedTokenStore(store, cache);
 * await cache.invalidate([oldHash]); // gone on every instance
 * ```
 */
export class RedisTokenCache implements TokenCache {
  readonly #client: Redis;
  readonly #local: MemoryTokenCache;
  readonly #channel: string;
  readonly #publishTimeoutMs: number;
  readonly #subscription: RedisSubscription;

  /**
   * @param client A connected client, used to publish.
   * @param options See {@linkcode RedisTokenCacheOptions}.
   */
  constructor(client: Redis, options: RedisTokenCacheOptions = {}) {
    this.#client = client;
    this.#local = new MemoryTokenCache({
      ...(options.maxEntries !== undefined && { maxEntries: options.maxEntries }),
      ...(options.ttlMs !== undefined && { ttlMs: options.ttlMs }),
      ...(options.now !== undefined && { now: options.now }),
    });
    this.#channel = `${options.keyPrefix ?? "sendeasy:"}token-cache`;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 1_000;
    const local = this.#local;
    this.#subscription = new RedisSubscription(
      options.subscriber ?? duplicateForSubscribing(client),
      this.#channel,
      {
        onMessage: (payload) => applyInvalidation(local, payload),
        // Both edges clear: anything cached around a gap may have missed an invalidation.
        onSubscribed: () => void local.clear(),
        onLost: () => void local.clear(),
        owned: options.subscriber === undefined,
      },
    );
  }

  /** True while invalidations from other instances are received, hence while entries are kept. */
  get subscribed(): boolean {
    return this.#subscription.active;
  }

  /**
   * Waits until invalidations are received (caching is on) and can be sent (the client is ready).
   *
   * @param options.timeoutMs how long to wait (default 5 000 ms)
   * @throws {Error} If not subscribed in time.
   */
  async ready(options: { timeoutMs?: number } = {}): Promise<void> {
    await Promise.all([this.#subscription.ready(options), untilRedisReady(this.#client, options)]);
  }

  get(hash: string): TokenMatch | null | undefined {
    if (!this.#subscription.active) return undefined;
    return this.#local.get(hash);
  }

  set(hash: string, match: TokenMatch | null): void {
    if (this.#subscription.active) this.#local.set(hash, match);
  }

  /**
   * Drops `hashes` here, then on every instance.
   *
   * @throws {Error} If Redis did not acknowledge the PUBLISH within `publishTimeoutMs`.
   */
  async invalidate(hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    await this.#local.invalidate(hashes);
    await this.#publish({ op: "invalidate", hashes: [...hashes] }, `${hashes.length} token(s)`);
  }

  /**
   * Drops every entry here, then on every instance.
   *
   * @throws {Error} If Redis did not acknowledge the PUBLISH within `publishTimeoutMs`.
   */
  async clear(): Promise<void> {
    await this.#local.clear();
    await this.#publish({ op: "clear" }, "every token");
  }

  /** Stops listening and closes the subscriber connection if this cache opened it. */
  generation(): number {
    return this.#local.generation();
  }

  close(): Promise<void> {
    return this.#subscription.close();
  }

  async #publish(message: Invalidation, what: string): Promise<void> {
    const payload = JSON.stringify(message);
    await boundedRedisCall(this.#client, () => this.#client.publish(this.#channel, payload), {
      action: `invalidate ${what} on other instances`,
      timeoutMs: this.#publishTimeoutMs,
    });
  }
}

/** Applies a message; one it cannot read clears everything, the safe reading. */
function applyInvalidation(local: MemoryTokenCache, payload: string): void {
  let message: Partial<Invalidation> | undefined;
  try {
    message = JSON.parse(payload) as Partial<Invalidation>;
  } catch {
    message = undefined;
  }
  if (message?.op === "invalidate" && Array.isArray(message.hashes)) {
    void local.invalidate(message.hashes.filter((h): h is string => typeof h === "string"));
  } else {
    void local.clear();
  }
}
