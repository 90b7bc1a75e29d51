/**
 * A Redis of the test's own, stopped and started again under live adapters: they degrade as
 * documented while it is down or slow, and recover without being rebuilt.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { RedisIdempotencyStore } from "../../../adapters/cache/idempotency_redis.ts";
import { RedisRateLimiter } from "../../../adapters/cache/rate_limiter_redis.ts";
import { untilRedisReady } from "../../../adapters/cache/redis_client.ts";
import { RedisTokenCache } from "../../../adapters/cache/token_cache_redis.ts";
import { RedisWorkSignal } from "../../../adapters/cache/work_signal_redis.ts";
import type { TokenMatch } from "../../../core/ports/token_store.ts";
import {
  describeRedis,
  eventually,
  PrivateRedis,
  RedisClients,
  randomPrefix,
} from "../../support/redis.ts";

const match = (id: string): TokenMatch => ({ tokenId: id }) as unknown as TokenMatch;
const DAY = 86_400_000;

/** Runs `call`, returning how long it took and what it settled to. */
async function timed<T>(call: () => Promise<T>): Promise<{ ms: number; value: T | Error }> {
  const started = performance.now();
  const value = await call().catch((error: Error) => error);
  return { ms: performance.now() - started, value };
}

describeRedis(
  "Redis adapters on a Redis that stops and starts",
  () => {
    let server: PrivateRedis;
    let clients: RedisClients;
    let a: Redis;
    let b: Redis;
    const keyPrefix = randomPrefix("restart");

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

    test("stopped: limits fail open, caches are bypassed, claims reject; restarted: all recover", async () => {
      const limiter = new RedisRateLimiter(a, { keyPrefix });
      const idempotency = new RedisIdempotencyStore(a, { keyPrefix, timeoutMs: 300 });
      const [cacheA, cacheB] = [a, b].map((c) => new RedisTokenCache(c, { keyPrefix }));
      const [signalA, signalB] = [a, b].map((c) => new RedisWorkSignal(c, { keyPrefix }));
      const all = [signalA!, signalB!];
      await Promise.all(all.map((x) => x.ready()));
      let loads = 0;
      const load = async () => {
        loads += 1;
        return match("tok_1");
      };
      let wokenB = 0;
      signalB!.subscribe(() => wokenB++);
      const limit = { perSecond: 0.001, burst: 2 };
      const at = { fingerprint: "fp1", now: Date.now(), ttlMs: DAY };

      // Up.
      await cacheB!.lookup("h1", load);
      expect(await cacheB!.lookup("h1", load)).toEqual(match("tok_1"));
      expect(loads).toBe(1);
      expect(await limiter.take("tok_1", limit, Date.now())).toEqual({ ok: true });
      expect(await idempotency.claim("int_a", "k1", at)).toEqual({ state: "claimed" });

      // Down.
      await server.kill();
      await eventually(() => a.status !== "ready" && b.status !== "ready" && !signalB!.subscribed, {
        what: "the clients to notice",
      });
      const take = await timed(() => limiter.take("tok_1", limit, Date.now()));
      expect(take.value).toEqual({ ok: true });
      expect(take.ms).toBeLessThan(60);
      expect(limiter.degradedCount).toBe(1);

      const lookup = await timed(() => cacheB!.lookup("h1", load));
      expect(lookup.value).toEqual(match("tok_1"));
      expect(lookup.ms).toBeLessThan(60);
      await cacheB!.lookup("h1", load);
      expect(loads).toBe(3);
      expect(cacheB!.degradedCount).toBe(2);
      const invalidate = await timed(() => cacheA!.invalidate(["h1"]));
      expect(invalidate.value).toBeInstanceOf(Error);
      expect(invalidate.ms).toBeLessThan(60);

      const claim = await timed(() => idempotency.claim("int_a", "k2", at));
      expect((claim.value as Error).message).toMatch(/^Cannot claim idempotency key "k2"/);
      expect(claim.ms).toBeLessThan(60);

      let wokenA = 0;
      const stop = signalA!.subscribe(() => wokenA++);
      signalA!.notify();
      expect(wokenA).toBe(1);
      stop();
      await eventually(() => signalA!.failedPublishCount === 1, { what: "the failed publish" });

      // Up again, same port, same objects.
      wokenB = 0;
      await server.restart();
      await Promise.all(all.map((x) => x.ready({ timeoutMs: 5_000 })));
      expect(wokenB).toBe(1); // the catch-up wake-up after resubscribing

      await Promise.all([untilRedisReady(a), untilRedisReady(b)]);
      await cacheB!.lookup("h1", load);
      await cacheB!.lookup("h1", load);
      expect(loads).toBe(4);
      await cacheA!.invalidate(["h1"]);
      await cacheB!.lookup("h1", load);
      expect(loads).toBe(5);

      // The restarted Redis kept nothing (no persistence): a fresh bucket, counted again.
      const takes = [];
      for (let i = 0; i < 3; i++) takes.push(await limiter.take("tok_1", limit, Date.now()));
      expect(takes.map((d) => d.ok)).toEqual([true, true, false]);
      expect(limiter.degradedCount).toBe(1);

      expect(await idempotency.claim("int_a", "k2", at)).toEqual({ state: "claimed" });
      expect(await new RedisIdempotencyStore(b, { keyPrefix }).claim("int_a", "k2", at)).toEqual({
        state: "in_progress",
      });

      signalA!.notify();
      await eventually(() => wokenB === 2, { what: "B to be woken through Redis" });
      await Promise.all(all.map((x) => x.close()));
    });

    test("slow: the limiter allows within its deadline; a claim rejects and is released once it runs", async () => {
      const limiter = new RedisRateLimiter(a, { keyPrefix, timeoutMs: 50 });
      const idempotency = new RedisIdempotencyStore(a, { keyPrefix, timeoutMs: 100 });
      const at = { fingerprint: "fp1", now: Date.now(), ttlMs: DAY };
      await b.client("PAUSE", "400", "ALL");

      const take = await timed(() => limiter.take("tok_slow", { perSecond: 1, burst: 1 }, at.now));
      expect(take.value).toEqual({ ok: true });
      expect(take.ms).toBeGreaterThanOrEqual(45);
      expect(take.ms).toBeLessThan(150);
      expect(limiter.degradedCount).toBe(1);

      const claim = await timed(() => idempotency.claim("int_a", "k_slow", at));
      expect((claim.value as Error).message).toBe(
        'Cannot claim idempotency key "k_slow" of int_a: Redis did not answer within 100 ms',
      );
      expect(claim.ms).toBeLessThan(200);

      // When Redis resumes, the late claim runs, then the release sent behind it: the key is
      // free again instead of `in_progress` for a day.
      await Bun.sleep(450);
      expect(await idempotency.claim("int_a", "k_slow", at)).toEqual({ state: "claimed" });
    });

    test("after SCRIPT FLUSH the scripts are sent again (NOSCRIPT)", async () => {
      const limiter = new RedisRateLimiter(a, { keyPrefix, timeoutMs: 1_000 });
      const idempotency = new RedisIdempotencyStore(a, { keyPrefix });
      const limit = { perSecond: 0.001, burst: 3 };
      const at = { fingerprint: "fp1", now: Date.now(), ttlMs: DAY };
      await limiter.take("tok_flush", limit, at.now);
      await limiter.take("tok_flush", limit, at.now); // by EVALSHA
      await idempotency.claim("int_a", "k_flush", at);
      await b.script("FLUSH");

      expect(await limiter.take("tok_flush", limit, at.now)).toEqual({ ok: true });
      expect((await limiter.take("tok_flush", limit, at.now)).ok).toBe(false);
      expect(await idempotency.claim("int_a", "k_flush", at)).toEqual({ state: "in_progress" });
      expect(limiter.degradedCount).toBe(0);
    });
  },
  { privateServer: true },
);
