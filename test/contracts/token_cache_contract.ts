/**
 * The contract every `TokenCache` passes (docs/architecture.md#the-hexagon), in process and on Redis, driven
 * through the port only. docs/api.md#tokens: once `invalidate` resolved, no handle answers from an
 * entry it held before — checked on the very next lookup, never after a wait.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { TokenCache } from "../../core/ports/token_cache.ts";
import type { TokenMatch } from "../../core/ports/token_store.ts";

/** Two handles on one cache, fresh for each test. */
export interface TokenCacheHarness {
  /**
   * Two instances of a shared implementation (two clients, as two processes would have), or
   * the same in-process object twice. Built with the harness's clock and `ttlMs` 5 000.
   */
  caches: readonly [TokenCache, TokenCache];
  cleanup(): Promise<void>;
}

/** What the contract asks of an implementation. */
export interface TokenCacheContractOptions {
  /** False for a cache that keeps nothing: every lookup then calls `load()`. */
  caches: boolean;
}

/** The cache never looks inside a match: any value stands for one. */
const match = (id: string): TokenMatch => ({ tokenId: id }) as unknown as TokenMatch;

/** A `load` that counts its calls and answers `answer`. */
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

/** A `load` that answers only when `release()` is called: a slow database read. */
function held(answer: TokenMatch | null) {
  const started = Promise.withResolvers<void>();
  const answered = Promise.withResolvers<TokenMatch | null>();
  return {
    load: () => {
      started.resolve();
      return answered.promise;
    },
    /** Resolves once the lookup called `load`, so its store read is under way. */
    started: started.promise,
    release: () => answered.resolve(answer),
  };
}

/**
 * Registers the contract tests for one implementation.
 *
 * @param name Shown in test names (`"memory"`, `"redis"`, `"none"`).
 * @param makeHarness Builds fresh caches on `now`; called before every test.
 * @param options See {@linkcode TokenCacheContractOptions}.
 */
export function runTokenCacheContract(
  name: string,
  makeHarness: (now: () => number) => Promise<TokenCacheHarness>,
  options: TokenCacheContractOptions,
): void {
  const { caches } = options;
  /** How many loads `n` lookups of one unchanged hash make. */
  const loadsFor = (n: number): number => (caches ? 1 : n);

  describe(`token cache contract: ${name}`, () => {
    let h: TokenCacheHarness;
    let now: number;
    let hash: string;
    beforeEach(async () => {
      now = 1_000_000;
      hash = `h_${crypto.randomUUID()}`;
      h = await makeHarness(() => now);
    });
    afterEach(async () => {
      await h.cleanup();
    });

    test("a lookup answers what load() answers", async () => {
      const [a] = h.caches;
      expect(await a.lookup(hash, counted(match("tok_1")))).toEqual(match("tok_1"));
      expect(await a.lookup(`${hash}:unknown`, counted(null))).toBeNull();
    });

    test(`a second lookup ${caches ? "is answered from the cache" : "loads again"}`, async () => {
      const [a] = h.caches;
      const load = counted(match("tok_1"));
      await a.lookup(hash, load);
      expect(await a.lookup(hash, load)).toEqual(match("tok_1"));
      expect(load.calls).toBe(loadsFor(2));
    });

    test(`"no such token" ${caches ? "is cached too" : "is loaded again"}`, async () => {
      const [a] = h.caches;
      const load = counted(null);
      await a.lookup(hash, load);
      expect(await a.lookup(hash, load)).toBeNull();
      expect(load.calls).toBe(loadsFor(2));
    });

    test("a load that rejects is passed on and caches nothing", async () => {
      const [a] = h.caches;
      const failure = new Error("database down");
      await expect(a.lookup(hash, () => Promise.reject(failure))).rejects.toBe(failure);
      const load = counted(match("tok_1"));
      expect(await a.lookup(hash, load)).toEqual(match("tok_1"));
      expect(load.calls).toBe(1);
    });

    test("an entry is trusted for ttlMs (5 000) only", async () => {
      const [a] = h.caches;
      const load = counted(match("tok_1"));
      await a.lookup(hash, load);
      now += 5_000;
      await a.lookup(hash, load);
      expect(load.calls).toBe(loadsFor(2));
      now += 1;
      await a.lookup(hash, load);
      expect(load.calls).toBe(caches ? 2 : 3);
    });

    test("once invalidate() resolved on one handle, the other's next lookup loads", async () => {
      const [a, b] = h.caches;
      const stale = counted(match("tok_old"));
      await b.lookup(hash, stale);
      await b.lookup(hash, stale);
      await a.invalidate([hash]);
      const fresh = counted(null);
      expect(await b.lookup(hash, fresh)).toBeNull();
      expect(fresh.calls).toBe(1);
      expect(await b.lookup(hash, fresh)).toBeNull();
      expect(fresh.calls).toBe(loadsFor(2));
    });

    test("once clear() resolved on one handle, the other loads every hash again", async () => {
      const [a, b] = h.caches;
      await b.lookup(hash, counted(match("tok_1")));
      await b.lookup(`${hash}:2`, counted(null));
      await a.clear();
      const [first, second] = [counted(match("tok_3")), counted(match("tok_4"))];
      expect(await b.lookup(hash, first)).toEqual(match("tok_3"));
      expect(await b.lookup(`${hash}:2`, second)).toEqual(match("tok_4"));
      expect([first.calls, second.calls]).toEqual([1, 1]);
    });

    test("invalidate([]) resolves and changes nothing it had to", async () => {
      const [a] = h.caches;
      const load = counted(match("tok_1"));
      await a.lookup(hash, load);
      await a.invalidate([]);
      await a.lookup(hash, load);
      expect(load.calls).toBe(loadsFor(2));
    });

    for (const change of ["invalidate", "clear"] as const) {
      test(`a lookup that raced ${change}() answers, but is not cached`, async () => {
        const [a, b] = h.caches;
        // B reads the store before the rotation is written; the invalidation lands before
        // the read returns. Its answer may be the old token: it must not be kept.
        const slow = held(match("tok_old"));
        const lookup = b.lookup(hash, slow.load);
        await slow.started;
        await (change === "invalidate" ? a.invalidate([hash]) : a.clear());
        // Other lookups go on meanwhile (and see whatever the invalidation changed).
        await b.lookup(`${hash}:other`, counted(null));
        slow.release();
        expect(await lookup).toEqual(match("tok_old"));
        const fresh = counted(null);
        expect(await b.lookup(hash, fresh)).toBeNull();
        expect(fresh.calls).toBe(1);
      });
    }

    test("concurrent lookups of different hashes answer their own loads", async () => {
      const [a, b] = h.caches;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? a : b).lookup(`${hash}:${i}`, counted(match(`tok_${i}`))),
        ),
      );
      expect(answers).toEqual(Array.from({ length: 20 }, (_, i) => match(`tok_${i}`)));
    });
  });
}
