/**
 * The contract every implementation of the "cache" ports passes (docs/architecture.md#the-hexagon):
 * `RateLimiter`, `IdempotencyStore` and `WorkSignal`, in process and on Redis, driven through
 * the ports only, so both behave the same. `TokenCache` has a contract of its own, with a
 * third implementation that caches nothing: `token_cache_contract.ts`.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { RateLimit } from "../../core/domain.ts";
import type { IdempotencyStore } from "../../core/ports/idempotency_store.ts";
import type { RateLimiter } from "../../core/ports/rate_limiter.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";

/** One implementation of each port, fresh for each test. */
export interface CacheHarness {
  limiter: RateLimiter;
  idempotency: IdempotencyStore;
  /**
   * Two handles on one signal: two instances of a shared implementation, or the same
   * in-process object twice. Both must report listener errors into `listenerErrors`.
   */
  signals: readonly [WorkSignal, WorkSignal];
  listenerErrors: unknown[];
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2025, 0, 1);
const DAY = 86_400_000;

/** Resolves once `check()` holds; a remote signal takes a network round trip. */
async function eventually(check: () => boolean, what: string): Promise<void> {
  const deadline = performance.now() + 1_000;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await Bun.sleep(2);
  }
}

/**
 * Registers the contract tests for one implementation.
 *
 * @param name Shown in test names (`"memory"`, `"redis"`).
 * @param makeHarness Builds fresh implementations; called before every test.
 */
export function runCacheContract(name: string, makeHarness: () => Promise<CacheHarness>): void {
  describe(`cache contract: ${name}`, () => {
    let h: CacheHarness;
    beforeEach(async () => {
      h = await makeHarness();
    });
    afterEach(async () => {
      await h.cleanup();
    });

    describe("RateLimiter", () => {
      /** Keys are new in every test, so a shared limiter starts empty for each. */
      const newKey = (): string => `tok_${crypto.randomUUID()}`;
      const takeMany = async (key: string, limit: RateLimit, now: number, n: number) => {
        const decisions = [];
        for (let i = 0; i < n; i++) decisions.push(await h.limiter.take(key, limit, now));
        return decisions;
      };

      test("a new key starts full: burst takes pass, the next is refused", async () => {
        const key = newKey();
        const limit = { perSecond: 10, burst: 5 };
        const decisions = await takeMany(key, limit, T0, 5);
        expect(decisions.every((d) => d.ok)).toBe(true);
        expect(await h.limiter.take(key, limit, T0)).toEqual({ ok: false, retryAfterMs: 100 });
      });

      test("retryAfterMs is the wait until one whole token is back", async () => {
        const key = newKey();
        const limit = { perSecond: 3, burst: 1 };
        expect(await h.limiter.take(key, limit, T0)).toEqual({ ok: true });
        // 0.3 token after 100 ms; 0.7 more takes 233.3 ms, rounded up.
        expect(await h.limiter.take(key, limit, T0 + 100)).toEqual({
          ok: false,
          retryAfterMs: 234,
        });
        expect(await h.limiter.take(key, limit, T0 + 100 + 233)).toEqual({
          ok: false,
          retryAfterMs: 1,
        });
        expect(await h.limiter.take(key, limit, T0 + 100 + 234)).toEqual({ ok: true });
      });

      test("a bucket refills continuously at perSecond", async () => {
        const key = newKey();
        const limit = { perSecond: 10, burst: 5 };
        await takeMany(key, limit, T0, 5);
        // 250 ms → 2.5 tokens: two pass, the third waits for the missing half token.
        const decisions = await takeMany(key, limit, T0 + 250, 3);
        expect(decisions).toEqual([{ ok: true }, { ok: true }, { ok: false, retryAfterMs: 50 }]);
      });

      test("refill stops at burst, however long the bucket rested", async () => {
        const key = newKey();
        const limit = { perSecond: 10, burst: 5 };
        await takeMany(key, limit, T0, 5);
        const decisions = await takeMany(key, limit, T0 + 3_600_000, 6);
        expect(decisions.filter((d) => d.ok)).toHaveLength(5);
        expect(decisions[5]).toEqual({ ok: false, retryAfterMs: 100 });
      });

      test("keys have buckets of their own", async () => {
        const [a, b] = [newKey(), newKey()];
        const limit = { perSecond: 1, burst: 1 };
        expect((await h.limiter.take(a, limit, T0)).ok).toBe(true);
        expect((await h.limiter.take(a, limit, T0)).ok).toBe(false);
        expect((await h.limiter.take(b, limit, T0)).ok).toBe(true);
      });

      test("time going backwards refills nothing and drains nothing", async () => {
        const key = newKey();
        const limit = { perSecond: 10, burst: 2 };
        await takeMany(key, limit, T0 + 1_000, 2);
        expect(await h.limiter.take(key, limit, T0)).toEqual({ ok: false, retryAfterMs: 100 });
        expect(await h.limiter.take(key, limit, T0 + 1_000)).toEqual({
          ok: false,
          retryAfterMs: 100,
        });
        expect(await h.limiter.take(key, limit, T0 + 1_100)).toEqual({ ok: true });
      });

      test("a lowered burst caps a fuller bucket", async () => {
        const key = newKey();
        expect((await h.limiter.take(key, { perSecond: 1, burst: 10 }, T0)).ok).toBe(true);
        const decisions = await takeMany(key, { perSecond: 1, burst: 2 }, T0, 3);
        expect(decisions.map((d) => d.ok)).toEqual([true, true, false]);
      });

      test("200 concurrent takes on one key: exactly burst pass", async () => {
        const key = newKey();
        const limit = { perSecond: 1, burst: 100 };
        const decisions = await Promise.all(
          Array.from({ length: 200 }, () => h.limiter.take(key, limit, T0)),
        );
        expect(decisions.filter((d) => d.ok)).toHaveLength(100);
      });
    });

    describe("IdempotencyStore", () => {
      const ttlMs = DAY;
      /** Scopes are new in every test, so a shared store starts empty for each. */
      let scope = "";
      beforeEach(() => {
        scope = `int_${crypto.randomUUID()}`;
      });
      const claim = (key: string, fingerprint: string, now: number, inScope = scope) =>
        h.idempotency.claim(inScope, key, { fingerprint, now, ttlMs });

      test("claim → in_progress → complete → completed; another body is a mismatch", async () => {
        expect(await claim("k1", "fp1", T0)).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp1", T0 + 1)).toEqual({ state: "in_progress" });
        expect(await claim("k1", "fp2", T0 + 2)).toEqual({ state: "mismatch" });
        const response = { status: 200, body: '{"id":"msg_1","status":"sent"}' };
        await h.idempotency.complete(scope, "k1", response);
        expect(await claim("k1", "fp1", T0 + 3)).toEqual({ state: "completed", response });
        expect(await claim("k1", "fp2", T0 + 4)).toEqual({ state: "mismatch" });
      });

      test("keys are scoped: the same key in another scope is free", async () => {
        expect(await claim("k1", "fp1", T0)).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp1", T0, `${scope}:other`)).toEqual({ state: "claimed" });
      });

      test("release() frees a pending key but not a completed one", async () => {
        await claim("k1", "fp1", T0);
        await h.idempotency.release(scope, "k1");
        expect(await claim("k1", "fp2", T0 + 1)).toEqual({ state: "claimed" });
        const response = { status: 402, body: '{"error":"PROVIDER_ERROR"}' };
        await h.idempotency.complete(scope, "k1", response);
        await h.idempotency.release(scope, "k1");
        expect(await claim("k1", "fp2", T0 + 2)).toEqual({ state: "completed", response });
      });

      test("release() and complete() of a key never claimed leave no record", async () => {
        await h.idempotency.release(scope, "k1");
        await h.idempotency.complete(scope, "k2", { status: 200, body: "{}" });
        expect(await claim("k1", "fp1", T0)).toEqual({ state: "claimed" });
        expect(await claim("k2", "fp1", T0)).toEqual({ state: "claimed" });
      });

      test("a record at or past its expiry counts as absent", async () => {
        await claim("k1", "fp1", T0);
        await h.idempotency.complete(scope, "k1", { status: 200, body: "{}" });
        expect((await claim("k1", "fp1", T0 + ttlMs - 1)).state).toBe("completed");
        expect(await claim("k1", "fp2", T0 + ttlMs)).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp2", T0 + ttlMs + 1)).toEqual({ state: "in_progress" });
        await claim("k2", "fp1", T0);
        expect(await claim("k2", "fp1", T0 + ttlMs)).toEqual({ state: "claimed" });
      });

      test("a stored body replays byte for byte", async () => {
        const body = JSON.stringify({
          text: 'quotes " \\ / newline \n tab \t émoji 🚀 中文 \u0000',
          big: "x".repeat(64_000),
        });
        await claim("k1", "fp1", T0);
        await h.idempotency.complete(scope, "k1", { status: 201, body });
        expect(await claim("k1", "fp1", T0 + 1)).toEqual({
          state: "completed",
          response: { status: 201, body },
        });
      });

      test("writes issued together apply in call order", async () => {
        const response = { status: 200, body: '{"ok":true}' };
        const [first, , second, third] = await Promise.all([
          claim("k1", "fp1", T0),
          h.idempotency.complete(scope, "k1", response),
          claim("k1", "fp1", T0 + 1),
          claim("k1", "fp9", T0 + 1),
        ]);
        expect(first).toEqual({ state: "claimed" });
        expect(second).toEqual({ state: "completed", response });
        expect(third).toEqual({ state: "mismatch" });
        const racers = await Promise.all(Array.from({ length: 20 }, () => claim("k2", "fp1", T0)));
        expect(racers.filter((r) => r.state === "claimed")).toHaveLength(1);
        expect(racers.filter((r) => r.state === "in_progress")).toHaveLength(19);
      });
    });

    describe("WorkSignal", () => {
      test("notify() runs this handle's listeners before it returns", () => {
        const [a] = h.signals;
        let calls = 0;
        a.subscribe(() => calls++);
        a.notify();
        expect(calls).toBe(1);
      });

      test("a notification reaches the listeners of the other handle", async () => {
        const [a, b] = h.signals;
        let calls = 0;
        b.subscribe(() => calls++);
        a.notify();
        await eventually(() => calls >= 1, "the other handle's listener");
      });

      test("a burst of notifications reaches the other handle", async () => {
        const [a, b] = h.signals;
        let calls = 0;
        b.subscribe(() => calls++);
        for (let i = 0; i < 100; i++) a.notify();
        await eventually(() => calls >= 1, "the other handle's listener");
        // A late one too: coalescing may merge notifications, never drop the last.
        await Bun.sleep(30);
        const before = calls;
        a.notify();
        await eventually(() => calls > before, "a notification after the burst");
      });

      test("unsubscribe() stops that listener only", async () => {
        const [a, b] = h.signals;
        const calls = { kept: 0, dropped: 0 };
        b.subscribe(() => calls.kept++);
        const stop = b.subscribe(() => calls.dropped++);
        stop();
        stop();
        a.notify();
        await eventually(() => calls.kept >= 1, "the kept listener");
        await Bun.sleep(30);
        expect(calls.dropped).toBe(0);
      });

      test("a listener that throws is reported, and the others still run", () => {
        const [a] = h.signals;
        let calls = 0;
        const failure = new Error("listener bug");
        a.subscribe(() => {
          throw failure;
        });
        a.subscribe(() => calls++);
        expect(() => a.notify()).not.toThrow();
        expect(calls).toBe(1);
        expect(h.listenerErrors).toContain(failure);
      });
    });
  });
}
