import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { MemorySendPacer } from "../../../adapters/cache/send_pacer_memory.ts";
import { RedisSendPacer } from "../../../adapters/cache/send_pacer_redis.ts";
import { describeRedis, RedisClients, randomPrefix } from "../../support/redis.ts";

const T0 = Date.UTC(2026, 0, 1);
const pace = { intervalMs: 500, maxWaitMs: 5_000 };

describe("MemorySendPacer", () => {
  test("gives concurrent sends one slot each, an interval apart, from now on", async () => {
    const pacer = new MemorySendPacer();
    const waits = await Promise.all(
      Array.from({ length: 5 }, () => pacer.reserve("ch_1", { ...pace, now: T0 })),
    );
    expect(waits).toEqual([0, 500, 1000, 1500, 2000].map((waitMs) => ({ ok: true, waitMs })));
  });

  test("refuses a slot further away than the caller may wait, and reserves nothing then", async () => {
    const pacer = new MemorySendPacer();
    const options = { intervalMs: 1000, now: T0, maxWaitMs: 1500 };
    expect(await pacer.reserve("ch_1", options)).toEqual({ ok: true, waitMs: 0 });
    expect(await pacer.reserve("ch_1", options)).toEqual({ ok: true, waitMs: 1000 });
    expect(await pacer.reserve("ch_1", options)).toEqual({ ok: false, retryAfterMs: 500 });
    expect(await pacer.reserve("ch_1", { ...options, now: T0 + 500 })).toEqual({
      ok: true,
      waitMs: 1500,
    });
  });

  test("keeps each channel's schedule apart, and an idle channel sends at once", async () => {
    const pacer = new MemorySendPacer();
    await pacer.reserve("ch_1", { ...pace, now: T0 });
    expect(await pacer.reserve("ch_2", { ...pace, now: T0 })).toEqual({ ok: true, waitMs: 0 });
    expect(await pacer.reserve("ch_1", { ...pace, now: T0 + 10_000 })).toEqual({
      ok: true,
      waitMs: 0,
    });
  });
});

describeRedis("RedisSendPacer", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let a: Redis;
  let b: Redis;

  beforeEach(async () => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("pace");
    [a, b] = [clients.open(), clients.open()];
    await Promise.all([a.ping(), b.ping()]);
  });
  afterEach(() => clients.closeAll(keyPrefix));

  test("two instances share one schedule: 40 concurrent reservations get 40 distinct slots", async () => {
    const [onA, onB] = [a, b].map((c) => new RedisSendPacer(c, { keyPrefix, timeoutMs: 2_000 }));
    const decisions = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        (i % 2 === 0 ? onA : onB)!.reserve("ch_1", { intervalMs: 100, now: T0, maxWaitMs: 60_000 }),
      ),
    );
    const waits = decisions.map((d) => (d.ok ? d.waitMs : -1)).sort((x, y) => x - y);
    expect(waits).toEqual(Array.from({ length: 40 }, (_, i) => i * 100));
    expect(onA!.degradedCount + onB!.degradedCount).toBe(0);
  });

  test("decides exactly as MemorySendPacer, on any sequence of reservations", async () => {
    const pacer = new RedisSendPacer(a, { keyPrefix, timeoutMs: 2_000 });
    const stepArb = fc.record({
      key: fc.constantFrom("c1", "c2"),
      elapsedMs: fc.integer({ min: 0, max: 1_500 }),
      intervalMs: fc.constantFrom(12.5, 100, 500, 1000 / 3),
      maxWaitMs: fc.integer({ min: 0, max: 2_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(stepArb, { minLength: 1, maxLength: 25 }), async (steps) => {
        const reference = new MemorySendPacer();
        const run = crypto.randomUUID();
        let now = T0;
        for (const { key, elapsedMs, intervalMs, maxWaitMs } of steps) {
          now += elapsedMs;
          const options = { intervalMs, now, maxWaitMs };
          const expected = reference.reserveNow(key, options);
          const actual = await pacer.reserve(`${run}:${key}`, options);
          expect(actual.ok).toBe(expected.ok);
          const ms = (d: typeof actual) => (d.ok ? d.waitMs : d.retryAfterMs);
          expect(ms(actual)).toBeCloseTo(ms(expected), 6);
        }
      }),
      { numRuns: 40 },
    );
  });

  test("paces in process while Redis cannot answer, and counts it", async () => {
    const down = clients.open("redis://127.0.0.1:1");
    const pacer = new RedisSendPacer(down, { keyPrefix, timeoutMs: 50 });
    const first = await pacer.reserve("ch_1", { ...pace, now: T0 });
    const second = await pacer.reserve("ch_1", { ...pace, now: T0 });
    expect([first, second]).toEqual([
      { ok: true, waitMs: 0 },
      { ok: true, waitMs: 500 },
    ]);
    expect(pacer.degradedCount).toBe(2);
  });
});
