/**
 * Token cache for several instances (docs/api.md#tokens: rotation invalidates the old token
 * immediately, on every instance): entries stay in process, each stamped with a version that
 * all instances share in Redis and check on every lookup.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";
import { RedisLuaScript } from "./_lua_script_redis.ts";
import { TokenEntries } from "./_token_entries.ts";
import { boundedRedisCall } from "./redis_client.ts";

/** Options of {@linkcode RedisTokenCache}. */
export interface RedisTokenCacheOptions {
  /** Prefix of the version key; instances sharing it share invalidations (default `"sendeasy:"`). */
  keyPrefix?: string;
  /** Bound on cached hashes per instance (default 10 000). */
  maxEntries?: number;
  /** How long an entry is trusted, in ms (default 5 000). */
  ttlMs?: number;
  /** Deadline of the version read of a lookup, in ms; past it the cache is bypassed (default 50). */
  lookupTimeoutMs?: number;
  /** Deadline of the version increment of `invalidate` and `clear`, in ms (default 1 000). */
  invalidateTimeoutMs?: number;
  /** Clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Sets the version to a random start if Redis has none (a fresh, restarted or flushed Redis),
 * then reads or increments it.
 *
 * KEYS[1] version · ARGV seed, "GET" | "INCR" → the version
 */
const SEEDED = new RedisLuaScript(`
redis.call('SET', KEYS[1], ARGV[1], 'NX')
return tostring(redis.call(ARGV[2], KEYS[1]))
`);

/**
 * One version counter in Redis (`<prefix>token-cache:version`) stands for the state of every
 * instance's cache. `invalidate` and `clear` increment it and resolve once Redis acknowledged
 * the increment. `lookup` reads it first (one round trip, in place of a database query) and
 * trusts a local entry only if it was stored under that very version; otherwise it calls
 * `load()` and stores the answer under the version it read BEFORE the load, so an
 * invalidation that lands during the load leaves the entry stale. Hence a hard guarantee:
 * after `invalidate` resolved on one instance, the next lookup on any instance calls `load()`.
 *
 * The version is global, not per hash: a rotation makes every instance reload every token
 * once. Rotations and admin changes are rare; a lookup per send is not.
 *
 * A missing version (fresh or restarted Redis without persistence, `FLUSHALL`, eviction) is
 * seeded with a random number, never counted from 1 again: a restarted counter must not
 * climb back to a version under which some instance still holds entries.
 *
 * Degradation, by design: when the version cannot be read within `lookupTimeoutMs` (Redis
 * down, slow or unreachable), the lookup bypasses the cache — `load()`, nothing stored —
 * and is counted in {@linkcode degradedCount}; local entries are dropped too, since an
 * invalidation may be missed meanwhile. Caching resumes by itself once Redis answers.
 * `invalidate` and `clear` drop this instance's entries first, then reject if the increment
 * is not acknowledged within `invalidateTimeoutMs`: the caller must not report the change as
 * effective everywhere (see `BestEffortTokenCache`).
 *
 * @example
 * ```ts
 * const cache = new RedisTokenCache(redis, { keyPrefix: "sendeasy:" });
 * const tokens = new CachedTokenStore(store, cache);
 * await cache.invalidate([oldHash]); // stale on every instance
 * ```
 */
export class RedisTokenCache implements TokenCache {
  readonly #client: Redis;
  readonly #entries: TokenEntries<{ match: TokenMatch | null; version: string }>;
  readonly #versionKey: string;
  readonly #lookupTimeoutMs: number;
  readonly #invalidateTimeoutMs: number;
  /** The last version read: entries under any other are dead, so a new one empties the map. */
  #seenVersion: string | undefined;
  /** Bumped by this instance's invalidations, which may fail to reach Redis. */
  #generation = 0;
  #degraded = 0;

  /**
   * @param client A connected client.
   * @param options See {@linkcode RedisTokenCacheOptions}.
   */
  constructor(client: Redis, options: RedisTokenCacheOptions = {}) {
    this.#client = client;
    this.#entries = new TokenEntries({
      maxEntries: options.maxEntries ?? 10_000,
      ttlMs: options.ttlMs ?? 5_000,
      now: options.now ?? Date.now,
    });
    this.#versionKey = `${options.keyPrefix ?? "sendeasy:"}token-cache:version`;
    this.#lookupTimeoutMs = options.lookupTimeoutMs ?? 50;
    this.#invalidateTimeoutMs = options.invalidateTimeoutMs ?? 1_000;
  }

  /** How many lookups bypassed the cache because Redis did not answer, since construction. */
  get degradedCount(): number {
    return this.#degraded;
  }

  async lookup(hash: string, load: () => Promise<TokenMatch | null>): Promise<TokenMatch | null> {
    const generation = this.#generation;
    let version: string;
    try {
      version = await this.#readVersion();
    } catch {
      // Invalidations may be missed from now on: start from empty once Redis answers again.
      this.#degraded += 1;
      this.#generation += 1;
      this.#entries.clear();
      this.#seenVersion = undefined;
      return load();
    }
    if (version !== this.#seenVersion) {
      this.#entries.clear();
      this.#seenVersion = version;
    }
    const cached = this.#entries.get(hash);
    if (cached !== undefined && cached.version === version) return cached.match;
    const match = await load();
    // An invalidation (or a Redis failure) here whose increment did not reach Redis leaves
    // the version as it was: the generation still tells that this answer may predate it.
    if (this.#generation === generation) this.#entries.set(hash, { match, version });
    return match;
  }

  /**
   * Makes `hashes` stale here, then on every instance.
   *
   * @throws {Error} If Redis did not acknowledge the increment within `invalidateTimeoutMs`.
   */
  async invalidate(hashes: readonly string[]): Promise<void> {
    if (hashes.length === 0) return;
    this.#generation += 1;
    this.#entries.delete(hashes);
    await this.#bumpVersion(`invalidate ${hashes.length} cached token(s)`);
  }

  /**
   * Makes every entry stale here, then on every instance.
   *
   * @throws {Error} If Redis did not acknowledge the increment within `invalidateTimeoutMs`.
   */
  async clear(): Promise<void> {
    this.#generation += 1;
    this.#entries.clear();
    await this.#bumpVersion("clear the token cache");
  }

  async #readVersion(): Promise<string> {
    const client = this.#client;
    const key = this.#versionKey;
    return boundedRedisCall(
      client,
      async () =>
        (await client.get(key)) ?? String(await SEEDED.run(client, [key], [seed(), "GET"])),
      { action: "read the token cache version", timeoutMs: this.#lookupTimeoutMs },
    );
  }

  async #bumpVersion(action: string): Promise<void> {
    await boundedRedisCall(
      this.#client,
      () => SEEDED.run(this.#client, [this.#versionKey], [seed(), "INCR"]),
      { action, timeoutMs: this.#invalidateTimeoutMs },
    );
  }
}

/** A random start below 2^52: exact as a double, and far from overflowing INCR. */
function seed(): string {
  return String(Math.floor(Math.random() * 2 ** 52));
}
