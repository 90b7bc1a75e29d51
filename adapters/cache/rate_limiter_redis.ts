/**
 * Token-bucket rate limiter shared by every instance through Redis (docs/api.md#rate-limits: 50
 * requests/s, bursts of 100 by default, counted per token whichever instance answers).
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { RateLimit } from "../../core/domain.ts";
import type { RateDecision, RateLimiter } from "../../core/ports/rate_limiter.ts";
import { RedisLuaScript } from "./_lua_script_redis.ts";
import { boundedRedisCall } from "./redis_client.ts";

/**
 * The arithmetic of `MemoryRateLimiter.takeNow`, step for step (Lua numbers are doubles, and
 * `%.17g` stores them exactly), so both limiters decide alike. A bucket is `"<tokens> <at>"`;
 * it expires once it would have refilled to `burst` (plus a second), when it holds no
 * information any more.
 *
 * KEYS[1] bucket · ARGV perSecond, burst, now → { 1, 0 } allowed | { 0, retryAfterMs }
 */
const TAKE = new RedisLuaScript(`
local perSecond = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local tokens, at
local stored = redis.call('GET', KEYS[1])
if stored then
  local t, a = string.match(stored, '^(%S+) (%S+)$')
  tokens, at = tonumber(t), tonumber(a)
end
if tokens == nil or at == nil then
  tokens, at = burst, now
else
  tokens = math.min(burst, tokens + math.max(0, ((now - at) / 1000) * perSecond))
  at = math.max(at, now)
end
local allowed, retryAfterMs = 0, 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retryAfterMs = math.ceil(((1 - tokens) / perSecond) * 1000)
end
local ttl = math.ceil((burst / perSecond) * 1000) + 1000
redis.call('SET', KEYS[1], string.format('%.17g %.17g', tokens, at), 'PX', ttl)
return { allowed, retryAfterMs }
`);

/** Options of {@linkcode RedisRateLimiter}. */
export interface RedisRateLimiterOptions {
  /** Prefix of the bucket keys (default `"sendeasy:"`). */
  keyPrefix?: string;
  /** Deadline of one decision, in ms; past it the request is allowed (default 50). */
  timeoutMs?: number;
  /** Told of every decision taken without Redis (default: nothing). */
  onDegraded?: (error: Error) => void;
}

/**
 * One token bucket per key in Redis, updated by one Lua script, so every instance takes from
 * the same bucket atomically. Refill uses the caller's `now`, as the port says: instance clocks
 * should be NTP-synchronised (a skew of `d` ms moves a refill by `d × perSecond / 1000` tokens;
 * a clock behind the bucket's refills nothing, it never drains).
 *
 * Degradation, by design: limits protect providers and credits but are not a source of truth,
 * so when Redis is unreachable or slower than `timeoutMs` the request is ALLOWED (fail open)
 * and counted in {@linkcode degradedCount} (and reported to `onDegraded`). Sends keep working
 * during a Redis outage, unlimited until it comes back.
 *
 * @example
 * ```ts
 * const limiter = new RedisRateLimiter(redis, { onDegraded: (e) => logger.warn("rate limit skipped", { error: e.message }) });
 * const decision = await limiter.take(tokenId, { perSecond: 50, burst: 100 }, Date.now());
 * ```
 */
export class RedisRateLimiter implements RateLimiter {
  readonly #client: Redis;
  readonly #keyPrefix: string;
  readonly #timeoutMs: number;
  readonly #onDegraded: ((error: Error) => void) | undefined;
  #degraded = 0;

  /**
   * @param client A connected client.
   * @param options See {@linkcode RedisRateLimiterOptions}.
   */
  constructor(client: Redis, options: RedisRateLimiterOptions = {}) {
    this.#client = client;
    this.#keyPrefix = `${options.keyPrefix ?? "sendeasy:"}rate:`;
    this.#timeoutMs = options.timeoutMs ?? 50;
    this.#onDegraded = options.onDegraded;
  }

  /** How many decisions were taken without Redis (and allowed) since construction. */
  get degradedCount(): number {
    return this.#degraded;
  }

  async take(key: string, limit: RateLimit, now: number): Promise<RateDecision> {
    let reply: unknown;
    try {
      reply = await boundedRedisCall(
        this.#client,
        () => TAKE.run(this.#client, [this.#keyPrefix + key], [limit.perSecond, limit.burst, now]),
        { action: "take from a rate limit", timeoutMs: this.#timeoutMs },
      );
    } catch (error) {
      this.#degraded += 1;
      this.#onDegraded?.(error instanceof Error ? error : new Error(String(error)));
      return { ok: true };
    }
    return toDecision(reply);
  }
}

/** Maps the script's `{ allowed, retryAfterMs }`. */
function toDecision(reply: unknown): RateDecision {
  if (!Array.isArray(reply) || reply.length !== 2) {
    throw new Error(`Cannot read a rate limit decision: unexpected reply ${JSON.stringify(reply)}`);
  }
  return Number(reply[0]) === 1 ? { ok: true } : { ok: false, retryAfterMs: Number(reply[1]) };
}
