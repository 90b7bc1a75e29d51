/**
 * Caches, limits and signals: in-process implementations for one instance, Redis ones for
 * several (docs/configuration.md), and the token-store decorator that puts a cache in front.
 *
 * @module
 */
export { CachedTokenStore } from "./cached_token_store.ts";
export { RedisIdempotencyStore } from "./idempotency_redis.ts";
export { MemoryRateLimiter } from "./rate_limiter_memory.ts";
export { RedisRateLimiter } from "./rate_limiter_redis.ts";
export { createRedisClient } from "./redis_client.ts";
export { BestEffortTokenCache } from "./token_cache_best_effort.ts";
export { MemoryTokenCache } from "./token_cache_memory.ts";
export { NoTokenCache } from "./token_cache_none.ts";
export { RedisTokenCache } from "./token_cache_redis.ts";
export { MemoryWorkSignal } from "./work_signal_memory.ts";
export { RedisWorkSignal } from "./work_signal_redis.ts";
