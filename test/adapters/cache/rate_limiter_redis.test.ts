import { afterEach, beforeEach, expect, test } from "bun:test";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { MemoryRateLimiter } from "../../../adapters/cache/rate_limiter_memory.ts";
import { RedisRateLimiter } from "../../../adapters/cache/rate_limiter_redis.ts";
import { describeRedis, RedisClients, randomPrefix } from "../../support/redis.ts";

const T0 = Date.UTC(2025, 0, 1);

describeRedis("RedisRateLimiter", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let a: Redis;
  let b: Redis;

  beforeEach(async () => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("rate");
    [a, b] = [clients.open(), clients.open()];
    await Promise.all([a.ping(), b.ping()]);
  });
  afterEach(() => clients.closeAll(keyPrefix));

  test("two instances take from one bucket: of 200 concurrent takes exactly burst pass", async () => {
    // A generous deadline: this test is about atomicity, not about failing open.
    const [onA, onB] = [a, b].map((c) => new RedisRateLimiter(c, { keyPrefix, timeoutMs: 2_000 }));
    const limit = { perSecond: 1, burst: 50 };
    const decisions = await Promise.all(
      Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? onA : onB)!.take("tok_1", limit, T0)),
    );
    expect(decisions.filter((d) => d.ok)).toHaveLength(50);
    expect(onA!.degradedCount + onB!.degradedCount).toBe(0);
  });

  test("decides exactly as MemoryRateLimiter, on any sequence of takes", async () => {
    const limiter = new RedisRateLimiter(a, { keyPrefix, timeoutMs: 2_000 });
    const stepArb = fc.record({
      key: fc.constantFrom("k1", "k2"),
      elapsedMs: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: -100, max: 3_000 })),
      limit: fc.record({
        perSecond: fc.constantFrom(0.5, 1, 3, 7, 50),
        burst: fc.integer({ min: 1, max: 5 }),
      }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 30 }), async (steps) => {
        const reference = new MemoryRateLimiter();
        const run = crypto.randomUUID();
        let now = T0;
        for (const step of steps) {
          now += step.elapsedMs;
          const expected = reference.takeNow(step.key, step.limit, now);
          expect(await limiter.take(`${run}:${step.key}`, step.limit, now)).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });

  test("a bucket key expires once the bucket would be full again", async () => {
    const limiter = new RedisRateLimiter(a, { keyPrefix });
    await limiter.take("tok_1", { perSecond: 10, burst: 20 }, Date.now());
    const ttl = await a.pttl(`${keyPrefix}rate:tok_1`);
    // 20 tokens at 10/s: 2 s to refill, plus one second of margin.
    expect(ttl).toBeGreaterThan(2_500);
    expect(ttl).toBeLessThanOrEqual(3_000);
  });

  test("fails open and counts it when Redis is not connected", async () => {
    const errors: Error[] = [];
    const limiter = new RedisRateLimiter(a, { keyPrefix, onDegraded: (e) => errors.push(e) });
    a.disconnect();
    const limit = { perSecond: 1, burst: 1 };
    expect(await limiter.take("tok_1", limit, T0)).toEqual({ ok: true });
    expect(await limiter.take("tok_1", limit, T0)).toEqual({ ok: true });
    expect(limiter.degradedCount).toBe(2);
    expect(errors[0]?.message).toMatch(/^Cannot take from a rate limit: /);
  });
});
