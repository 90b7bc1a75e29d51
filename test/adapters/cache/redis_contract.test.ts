/**
 * The cache contracts on Redis: every handle is an instance with clients of its own, as two
 * server processes would have.
 */
import { RedisIdempotencyStore } from "../../../adapters/cache/idempotency_redis.ts";
import { RedisRateLimiter } from "../../../adapters/cache/rate_limiter_redis.ts";
import { RedisTokenCache } from "../../../adapters/cache/token_cache_redis.ts";
import { RedisWorkSignal } from "../../../adapters/cache/work_signal_redis.ts";
import { runCacheContract } from "../../contracts/cache_contract.ts";
import { runTokenCacheContract } from "../../contracts/token_cache_contract.ts";
import { describeRedis, RedisClients, randomPrefix } from "../../support/redis.ts";

describeRedis("redis cache adapters", () => {
  runCacheContract("redis", async () => {
    const keyPrefix = randomPrefix("contract");
    const clients = new RedisClients();
    const [a, b] = [clients.open(), clients.open()];
    const listenerErrors: unknown[] = [];
    const onListenerError = (error: unknown) => listenerErrors.push(error);
    const signals = [
      new RedisWorkSignal(a, { keyPrefix, onListenerError }),
      new RedisWorkSignal(b, { keyPrefix, onListenerError }),
    ] as const;
    await Promise.all(signals.map((s) => s.ready()));
    return {
      // The contract is about decisions, not degradation: a deadline a busy machine always meets.
      limiter: new RedisRateLimiter(a, { keyPrefix, timeoutMs: 2_000 }),
      idempotency: new RedisIdempotencyStore(a, { keyPrefix, timeoutMs: 2_000 }),
      signals,
      listenerErrors,
      cleanup: async () => {
        await Promise.all(signals.map((s) => s.close()));
        await clients.closeAll(keyPrefix);
      },
    };
  });

  runTokenCacheContract(
    "redis",
    async (now) => {
      const keyPrefix = randomPrefix("token-contract");
      const clients = new RedisClients();
      const [a, b] = [clients.open(), clients.open()];
      await Promise.all([a.ping(), b.ping()]);
      // As for the limiter: a deadline a busy machine always meets, so no lookup degrades.
      const options = { keyPrefix, ttlMs: 5_000, now, lookupTimeoutMs: 2_000 };
      return {
        caches: [new RedisTokenCache(a, options), new RedisTokenCache(b, options)],
        cleanup: () => clients.closeAll(keyPrefix),
      };
    },
    { caches: true },
  );
});
