/**
 * Picks and builds the backends from the environment (docs/configuration.md): embedded SQLite alone, or
 * Postgres (`DATABASE_URL`) with Redis (`REDIS_URL`) for several instances.
 *
 * What Redis does, and what happens without it, is decided here:
 * - token cache: each lookup reads a version shared in Redis, which every invalidation
 *   increments before the admin request answers, so a rotated token is refused by every
 *   instance on its very next request; while Redis is down, lookups bypass the cache. Several
 *   instances on Postgres without Redis cache no tokens at all (a rotation must be immediate
 *   everywhere);
 * - rate limits: one bucket per token shared by all instances; in-process without Redis;
 *   fail open while Redis is down;
 * - send pace: one slot schedule per channel shared by all instances; in-process without
 *   Redis, and per process while Redis is down;
 * - worker wake-ups: published to every instance; workers still poll, so a lost signal delays
 *   a delivery by at most a second, never loses it;
 * - webhook-list changes: a counter in the database that every instance polls each second
 *   (so they reach every instance within a second or two without Redis, or while it is
 *   down), and with Redis also published at once;
 * - idempotency: always in the database, the source of truth (Redis keeps nothing across a
 *   restart here, and a forgotten key could send twice).
 *
 * @module
 */
import { join } from "node:path";
import { MemoryRateLimiter } from "../adapters/cache/rate_limiter_memory.ts";
import { RedisRateLimiter } from "../adapters/cache/rate_limiter_redis.ts";
import { createRedisClient } from "../adapters/cache/redis_client.ts";
import { MemorySendPacer } from "../adapters/cache/send_pacer_memory.ts";
import { RedisSendPacer } from "../adapters/cache/send_pacer_redis.ts";
import { BestEffortTokenCache } from "../adapters/cache/token_cache_best_effort.ts";
import { MemoryTokenCache } from "../adapters/cache/token_cache_memory.ts";
import { NoTokenCache } from "../adapters/cache/token_cache_none.ts";
import { RedisTokenCache } from "../adapters/cache/token_cache_redis.ts";
import { MemoryWorkSignal } from "../adapters/cache/work_signal_memory.ts";
import { PolledWorkSignal } from "../adapters/cache/work_signal_polled.ts";
import { RedisWorkSignal } from "../adapters/cache/work_signal_redis.ts";
import { loadOrCreateSecretKey, SecretBox } from "../adapters/crypto/mod.ts";
import { SECRET_KEY_FILE } from "../adapters/crypto/secret_key_file.ts";
import { makePrivateDir, tighten } from "../adapters/fs/private_files.ts";
import { createPostgresStore } from "../adapters/store/postgres/mod.ts";
import { createSqliteStore } from "../adapters/store/sqlite/mod.ts";
import type { IdempotencyStore } from "../core/ports/idempotency_store.ts";
import type { RateLimiter } from "../core/ports/rate_limiter.ts";
import type { SendPacer } from "../core/ports/send_pacer.ts";
import type { StorePorts } from "../core/ports/store_ports.ts";
import type { TokenCache } from "../core/ports/token_cache.ts";
import type { WorkSignal } from "../core/ports/work_signal.ts";
import type { ServerEnv } from "./env.ts";
import type { Logger } from "./logger.ts";

/** Every storage port, whichever database holds them, with its health check and shutdown. */
export interface Store extends StorePorts {
  /** Rejects when the database cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The built backends. */
export interface Backends {
  store: Store;
  tokenCache: TokenCache;
  limiter: RateLimiter;
  /** Paces each channel's sends: shared through Redis, else per process. */
  pacer: SendPacer;
  idempotency: IdempotencyStore;
  /** Wakes delivery workers (here, or everywhere through Redis). */
  signal: WorkSignal;
  /** Tells every instance that a company's webhooks changed. */
  webhookChanges: WorkSignal;
  /** `/ready` checks, by backend name. */
  checks: Record<string, () => Promise<boolean>>;
  /** What the start log says about the backends. */
  describe: { database: "sqlite" | "postgres"; redis: boolean; secretKey: "generated" | "loaded" };
  close(): Promise<void>;
}

/**
 * Opens the database (and Redis) named by the environment.
 *
 * @throws {Error} when the database cannot be reached or migrated
 */
export async function openBackends(env: ServerEnv, logger: Logger): Promise<Backends> {
  // The database and the generated secret key live here: this user only (0700).
  makePrivateDir(env.dataDir);
  const secretKey = loadOrCreateSecretKey(env.dataDir, env.secretKey ?? undefined);
  tighten(join(env.dataDir, SECRET_KEY_FILE));
  const secretBox = await SecretBox.fromKey(secretKey.key);
  const onError = (error: unknown) =>
    logger.error("background write failed", { error: String(error) });
  const store: Store =
    env.databaseUrl === null
      ? createSqliteStore({ path: join(env.dataDir, "sendeasy.sqlite"), secretBox, onError })
      : await createPostgresStore({ url: env.databaseUrl, secretBox, onError });
  const describe = {
    database: env.databaseUrl === null ? ("sqlite" as const) : ("postgres" as const),
    redis: env.redisUrl !== null,
    secretKey: secretKey.created ? ("generated" as const) : ("loaded" as const),
  };
  const database = async () => store.ping().then(() => true);
  const polled = new PolledWorkSignal(store.generations, "webhooks", {
    onError: (error) => logger.warn("webhook change counter unavailable", { error: String(error) }),
  });
  if (env.redisUrl === null) {
    const signal = new MemoryWorkSignal();
    return {
      store,
      // One process owns the database: its own invalidations are all there are.
      tokenCache: env.databaseUrl === null ? new MemoryTokenCache() : new NoTokenCache(),
      limiter: new MemoryRateLimiter(),
      pacer: new MemorySendPacer(),
      idempotency: store.idempotency,
      signal,
      webhookChanges: polled,
      checks: { database },
      describe,
      close: async () => {
        await polled.close();
        await store.close();
      },
    };
  }
  const redis = openRedis(env.redisUrl, { prefix: env.redisPrefix, logger });
  return {
    store,
    tokenCache: redis.tokenCache,
    limiter: redis.limiter,
    pacer: redis.pacer,
    idempotency: store.idempotency,
    signal: redis.signal,
    webhookChanges: bothSignals(redis.webhookChanges, polled),
    checks: { database, redis: redis.check },
    describe,
    close: async () => {
      await polled.close();
      await redis.close();
      await store.close();
    },
  };
}

/** The Redis-backed adapters on one client (each work signal gets its own subscriber). */
function openRedis(url: string, options: { prefix: string; logger: Logger }) {
  const { prefix, logger } = options;
  const client = createRedisClient(url, {
    onError: (error) => logger.warn("redis unavailable", { error: error.message }),
  });
  const tokenCache = new RedisTokenCache(client, { keyPrefix: prefix });
  const signal = new RedisWorkSignal(client, { keyPrefix: `${prefix}work:` });
  const webhookChanges = new RedisWorkSignal(client, { keyPrefix: `${prefix}webhooks:` });
  return {
    tokenCache: new BestEffortTokenCache(tokenCache, (error) =>
      logger.warn("token cache invalidation not shared", { error: String(error) }),
    ),
    limiter: new RedisRateLimiter(client, {
      keyPrefix: prefix,
      // Fail-open is by design; the log says when a limit was not enforced.
      onDegraded: (error) => logger.warn("rate limit skipped", { error: error.message }),
    }),
    pacer: new RedisSendPacer(client, {
      keyPrefix: prefix,
      onDegraded: (error) => logger.warn("send pace kept in process", { error: error.message }),
    }),
    signal,
    webhookChanges,
    check: async () => client.status === "ready",
    close: async () => {
      await Promise.allSettled([signal.close(), webhookChanges.close()]);
      client.disconnect();
    },
  };
}

/** Notifies through both signals and hears either: Redis at once, the poll when Redis missed it. */
function bothSignals(first: WorkSignal, second: WorkSignal): WorkSignal {
  return {
    notify: () => {
      first.notify();
      second.notify();
    },
    subscribe: (listener) => {
      const stops = [first.subscribe(listener), second.subscribe(listener)];
      return () => {
        for (const stop of stops) stop();
      };
    },
  };
}
