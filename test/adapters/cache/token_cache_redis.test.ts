/**
 * `RedisTokenCache` beyond the contract: the shared version in Redis, and what the cache does
 * while Redis is slow, gone, or back without what it held.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { untilRedisReady } from "../../../adapters/cache/redis_client.ts";
import {
  RedisTokenCache,
  type RedisTokenCacheOptions,
} from "../../../adapters/cache/token_cache_redis.ts";
import type { TokenMatch } from "../../../core/ports/token_store.ts";
import {
  describeRedis,
  eventually,
  PrivateRedis,
  RedisClients,
  randomPrefix,
} from "../../support/redis.ts";

/** The cache never looks inside a match: any value stands for one. */
const match = (id: string): TokenMatch => ({ tokenId: id }) as unknown as TokenMatch;

/** A `load` that counts its calls. */
function counted(answer: TokenMatch | null) {
  const load = Object.assign(
    async () => {
      load.calls += 1;
      return answer;
    },
    { calls: 0 },
  );
  return load;
}

/** Runs `call`, returning how long it took and what it settled to. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T | Error }> {
  const started = performance.now();
  const value = await call().catch((error: Error) => error);
  return { ms: performance.now() - started, value };
}

describeRedis("RedisTokenCache", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let a: Redis;
  let b: Redis;

  beforeEach(async () => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("token-cache");
    [a, b] = [clients.open(), clients.open()];
    await Promise.all([a.ping(), b.ping()]);
  });
  afterEach(async () => {
    await clients.closeAll(keyPrefix);
  });

  const cacheOn = (client: Redis, options: RedisTokenCacheOptions = {}) =>
    new RedisTokenCache(client, { keyPrefix, lookupTimeoutMs: 2_000, ...options });

  test("after A.invalidate() resolves, B's next lookup loads: 200 rounds, no wait", async () => {
    const [onA, onB] = [cacheOn(a), cacheOn(b)];
    for (let round = 0; round < 200; round++) {
      const hash = `h_${round}`;
      const before = counted(match(`tok_${round}`));
      await onB.lookup(hash, before);
      await onB.lookup(hash, before);
      expect(before.calls).toBe(1);
      await onA.invalidate([hash]);
      const after = counted(null);
      expect(await onB.lookup(hash, after)).toBeNull();
      expect(after.calls).toBe(1);
    }
    expect(onB.degradedCount).toBe(0);
  });

  test("the version lives at <prefix>token-cache:version and every invalidation moves it", async () => {
    const cache = cacheOn(a);
    await cache.lookup("h1", counted(null));
    const key = `${keyPrefix}token-cache:version`;
    const first = await b.get(key);
    expect(first).not.toBeNull();
    await cache.invalidate(["h1"]);
    await cache.clear();
    expect(await b.get(key)).toBe(String(BigInt(first ?? "") + 2n));
  });

  test("instances under another prefix are not affected", async () => {
    const onA = cacheOn(a);
    const elsewhere = cacheOn(b, { keyPrefix: `${keyPrefix}elsewhere:` });
    const load = counted(null);
    await elsewhere.lookup("h1", load);
    await onA.invalidate(["h1"]);
    await onA.clear();
    await elsewhere.lookup("h1", load);
    expect(load.calls).toBe(1);
  });

  test("a version that vanished (restart, FLUSHALL) starts again at random, never where it was", async () => {
    const key = `${keyPrefix}token-cache:version`;
    const [onA, onB] = [cacheOn(a), cacheOn(b)];
    // B caches under version 1, as it would on a Redis whose counter started at 0.
    await a.set(key, "0");
    await onA.invalidate(["h0"]);
    const stale = counted(match("tok_old"));
    await onB.lookup("h1", stale);
    expect(await a.get(key)).toBe("1");
    // Redis loses the key, B does not notice; a counter that restarted at 0 would now say 1
    // again after the next rotation, and B would serve its entry.
    await a.del(key);
    await onA.invalidate(["h1"]);
    expect(await a.get(key)).not.toBe("1");
    const fresh = counted(null);
    expect(await onB.lookup("h1", fresh)).toBeNull();
    expect(fresh.calls).toBe(1);
  });

  test("a lookup that finds no version seeds one, and caches under it", async () => {
    const cache = cacheOn(a);
    const load = counted(null);
    await cache.lookup("h1", load);
    await cache.lookup("h1", load);
    expect(load.calls).toBe(1);
    expect(Number(await a.get(`${keyPrefix}token-cache:version`))).toBeGreaterThan(1);
  });

  test("an invalidation that failed in Redis still keeps what raced it out of this instance's cache", async () => {
    const cache = cacheOn(a);
    // A version INCR cannot increment: reads answer, the increment fails, the version stays.
    await a.set(`${keyPrefix}token-cache:version`, "not-a-number");
    const started = Promise.withResolvers<void>();
    const answered = Promise.withResolvers<TokenMatch>();
    const lookup = cache.lookup("h1", () => {
      started.resolve();
      return answered.promise;
    });
    await started.promise;
    await expect(cache.invalidate(["h1"])).rejects.toThrow(
      /^Cannot invalidate 1 cached token\(s\): /,
    );
    answered.resolve(match("tok_old"));
    expect(await lookup).toEqual(match("tok_old"));
    const fresh = counted(null);
    expect(await cache.lookup("h1", fresh)).toBeNull();
    await cache.lookup("h1", fresh);
    expect(fresh.calls).toBe(1);
    expect(cache.degradedCount).toBe(0);
  });

  test("Redis not connected: lookups load every time, invalidations reject at once", async () => {
    const own = clients.open();
    await own.ping();
    const cache = cacheOn(own);
    const load = counted(match("tok_1"));
    await cache.lookup("h1", load);
    own.disconnect();
    for (let i = 0; i < 3; i++) expect(await cache.lookup("h1", load)).toEqual(match("tok_1"));
    expect(load.calls).toBe(4);
    expect(cache.degradedCount).toBe(3);
    await expect(cache.invalidate(["h1"])).rejects.toThrow(
      'Cannot invalidate 1 cached token(s): Redis is not connected (status "end")',
    );
    await expect(cache.clear()).rejects.toThrow(/^Cannot clear the token cache: /);
  });
});

describeRedis(
  "RedisTokenCache on a Redis that stops and starts",
  () => {
    let server: PrivateRedis;
    let clients: RedisClients;
    let a: Redis;
    let b: Redis;
    const keyPrefix = randomPrefix("token-cache-restart");

    beforeAll(async () => {
      server = await PrivateRedis.start();
      clients = new RedisClients();
      [a, b] = [clients.open(server.url), clients.open(server.url)];
      await Promise.all([a.ping(), b.ping()]);
    });
    afterAll(async () => {
      await clients.closeAll();
      await server.kill();
    });

    test("killed: lookups bypass the cache, invalidations reject; back: caching resumes on the same objects", async () => {
      const [onA, onB] = [a, b].map((c) => new RedisTokenCache(c, { keyPrefix }));
      const load = counted(match("tok_1"));
      await onB!.lookup("h1", load);
      await onB!.lookup("h1", load);
      expect(load.calls).toBe(1);

      await server.kill();
      await eventually(() => a.status !== "ready" && b.status !== "ready", {
        what: "the clients to notice",
      });
      for (let i = 0; i < 3; i++) {
        const lookup = await timed(() => onB!.lookup("h1", load));
        expect(lookup.value).toEqual(match("tok_1"));
        expect(lookup.ms).toBeLessThan(100);
      }
      expect(load.calls).toBe(4);
      expect(onB!.degradedCount).toBe(3);
      const invalidate = await timed(() => onA!.invalidate(["h1"]));
      expect(invalidate.value).toBeInstanceOf(Error);
      expect((invalidate.value as Error).message).toMatch(
        /^Cannot invalidate 1 cached token\(s\): /,
      );
      expect(invalidate.ms).toBeLessThan(100);

      await server.restart();
      await Promise.all([untilRedisReady(a), untilRedisReady(b)]);
      const after = counted(match("tok_2"));
      await onB!.lookup("h1", after);
      await onB!.lookup("h1", after);
      expect(after.calls).toBe(1);
      expect(onB!.degradedCount).toBe(3);
      await onA!.invalidate(["h1"]);
      await onB!.lookup("h1", after);
      expect(after.calls).toBe(2);
    });

    test("restarted unseen: an entry from before is not served after the next invalidation", async () => {
      const key = `${keyPrefix}token-cache:version`;
      const [onA, onB] = [a, b].map((c) => new RedisTokenCache(c, { keyPrefix }));
      await a.set(key, "0");
      await onA!.invalidate(["h0"]);
      const stale = counted(match("tok_old"));
      await onB!.lookup("h2", stale);

      // B's cache makes no lookup while Redis is away, so it cannot have noticed.
      await server.kill();
      await eventually(() => a.status !== "ready" && b.status !== "ready", {
        what: "the clients to notice",
      });
      await server.restart();
      await Promise.all([untilRedisReady(a), untilRedisReady(b)]);
      await onA!.invalidate(["h2"]);
      const fresh = counted(null);
      expect(await onB!.lookup("h2", fresh)).toBeNull();
      expect(fresh.calls).toBe(1);
    });

    test("slow: a lookup bypasses the cache within lookupTimeoutMs", async () => {
      const cache = new RedisTokenCache(a, { keyPrefix, lookupTimeoutMs: 50 });
      const load = counted(match("tok_1"));
      await cache.lookup("h3", load);
      await b.client("PAUSE", "300", "ALL");
      const lookup = await timed(() => cache.lookup("h3", load));
      expect(lookup.value).toEqual(match("tok_1"));
      expect(lookup.ms).toBeGreaterThanOrEqual(45);
      expect(lookup.ms).toBeLessThan(150);
      expect(load.calls).toBe(2);
      expect(cache.degradedCount).toBe(1);
      await Bun.sleep(350);
      await cache.lookup("h3", load);
      await cache.lookup("h3", load);
      expect(load.calls).toBe(3);
    });
  },
  { privateServer: true },
);
