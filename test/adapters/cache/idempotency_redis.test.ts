import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { RedisIdempotencyStore } from "../../../adapters/cache/idempotency_redis.ts";
import { describeRedis, RedisClients, randomPrefix } from "../../support/redis.ts";

const DAY = 86_400_000;

describeRedis("RedisIdempotencyStore", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let a: Redis;
  let b: Redis;
  let onA: RedisIdempotencyStore;
  let onB: RedisIdempotencyStore;

  beforeEach(async () => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("idempotency");
    [a, b] = [clients.open(), clients.open()];
    await Promise.all([a.ping(), b.ping()]);
    [onA, onB] = [a, b].map(
      (c) => new RedisIdempotencyStore(c, { keyPrefix, timeoutMs: 2_000 }),
    ) as [RedisIdempotencyStore, RedisIdempotencyStore];
  });
  afterEach(() => clients.closeAll(keyPrefix));

  const claimOn = (store: RedisIdempotencyStore, key: string, fingerprint: string) =>
    store.claim("int_a", key, { fingerprint, now: Date.now(), ttlMs: DAY });

  test("a key claimed on A is in progress on B, then replays there once completed", async () => {
    expect(await claimOn(onA, "k1", "fp1")).toEqual({ state: "claimed" });
    expect(await claimOn(onB, "k1", "fp1")).toEqual({ state: "in_progress" });
    expect(await claimOn(onB, "k1", "fp2")).toEqual({ state: "mismatch" });
    const response = { status: 200, body: '{"id":"msg_1"}' };
    await onA.complete("int_a", "k1", response);
    expect(await claimOn(onB, "k1", "fp1")).toEqual({ state: "completed", response });
  });

  test("200 concurrent claims on two instances elect exactly one", async () => {
    const claims = await Promise.all(
      Array.from({ length: 200 }, (_, i) => claimOn(i % 2 === 0 ? onA : onB, "k1", "fp1")),
    );
    expect(claims.filter((c) => c.state === "claimed")).toHaveLength(1);
    expect(claims.filter((c) => c.state === "in_progress")).toHaveLength(199);
  });

  test("Redis forgets a record after ttlMs; completing keeps that expiry", async () => {
    await onA.claim("int_a", "k1", { fingerprint: "fp1", now: Date.now(), ttlMs: 60_000 });
    await onA.complete("int_a", "k1", { status: 200, body: "{}" });
    const ttl = await a.pttl(`${keyPrefix}idem:int_a:k1`);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  test("scope and key cannot run into each other", async () => {
    const at = { fingerprint: "fp1", now: Date.now(), ttlMs: DAY };
    expect(await onA.claim("int:a", "b", at)).toEqual({ state: "claimed" });
    expect(await onA.claim("int", "a:b", at)).toEqual({ state: "claimed" });
  });

  test("every call rejects at once when Redis is not connected", async () => {
    a.disconnect();
    const started = performance.now();
    // Timed with catch(): Bun's `expect(pending).rejects` adds waiting of its own.
    const errors = await Promise.all([
      claimOn(onA, "k1", "fp1").catch((e: Error) => e),
      onA.complete("int_a", "k1", { status: 200, body: "{}" }).catch((e: Error) => e),
      onA.release("int_a", "k1").catch((e: Error) => e),
    ]);
    expect(performance.now() - started).toBeLessThan(50);
    expect(errors.map((e) => (e instanceof Error ? e.message : e))).toEqual([
      expect.stringMatching(/^Cannot claim idempotency key "k1" of int_a: /),
      expect.stringMatching(/^Cannot complete idempotency key "k1" of int_a: /),
      expect.stringMatching(/^Cannot release idempotency key "k1" of int_a: /),
    ]);
  });
});
