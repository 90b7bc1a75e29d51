import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { RedisTokenCache } from "../../../adapters/cache/token_cache_redis.ts";
import type { TokenMatch } from "../../../core/ports/token_store.ts";
import {
  connectionsNamed,
  describeRedis,
  eventually,
  RedisClients,
  randomPrefix,
} from "./_redis.ts";

/** The cache never looks inside a match: any value stands for one. */
const match = (id: string): TokenMatch => ({ tokenId: id }) as unknown as TokenMatch;

describeRedis("RedisTokenCache", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let caches: RedisTokenCache[];
  let a: Redis;
  let b: Redis;

  beforeEach(() => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("token-cache");
    caches = [];
    [a, b] = [clients.open(), clients.open()];
  });
  afterEach(async () => {
    await Promise.all(caches.map((c) => c.close()));
    await clients.closeAll(keyPrefix);
  });

  const cacheOn = (
    client: Redis,
    options: ConstructorParameters<typeof RedisTokenCache>[1] = {},
  ) => {
    const cache = new RedisTokenCache(client, { keyPrefix, ...options });
    caches.push(cache);
    return cache;
  };

  test("a token invalidated through A is gone from B within the publish round trip", async () => {
    const [onA, onB] = [cacheOn(a), cacheOn(b)];
    await Promise.all([onA.ready(), onB.ready()]);
    for (const cache of [onA, onB]) {
      cache.set("h_rotated", match("tok_1"));
      cache.set("h_other", match("tok_2"));
    }
    await onA.invalidate(["h_rotated"]);
    expect(onA.get("h_rotated")).toBeUndefined();
    // Redis has written the message to B's subscriber socket before it acknowledged the
    // PUBLISH; what remains is B reading it: one network hop, here one event-loop turn.
    // 100 ms bounds that generously on a loaded machine.
    const waited = await eventually(() => onB.get("h_rotated") === undefined, {
      timeoutMs: 100,
      what: "B to drop the rotated token",
    });
    expect(waited).toBeLessThan(100);
    expect(onB.get("h_other")).toEqual(match("tok_2"));
  });

  test("clear() through A empties B", async () => {
    const [onA, onB] = [cacheOn(a), cacheOn(b)];
    await Promise.all([onA.ready(), onB.ready()]);
    onB.set("h1", null);
    onB.set("h2", match("tok_2"));
    await onA.clear();
    await eventually(() => onB.get("h1") === undefined && onB.get("h2") === undefined, {
      timeoutMs: 100,
    });
  });

  test("instances under another prefix are not affected", async () => {
    const onA = cacheOn(a);
    const elsewhere = cacheOn(b, { keyPrefix: `${keyPrefix}elsewhere:` });
    await Promise.all([onA.ready(), elsewhere.ready()]);
    elsewhere.set("h1", null);
    await onA.invalidate(["h1"]);
    await Bun.sleep(30);
    expect(elsewhere.get("h1")).toBeNull();
  });

  test("nothing is cached before the channel is subscribed", async () => {
    const cache = cacheOn(a);
    expect(cache.subscribed).toBe(false);
    cache.set("h1", null);
    expect(cache.get("h1")).toBeUndefined();
    await cache.ready();
    cache.set("h1", null);
    expect(cache.get("h1")).toBeNull();
  });

  test("entries are trusted for ttlMs only", async () => {
    let now = 1_000;
    const cache = cacheOn(a, { ttlMs: 5_000, now: () => now });
    await cache.ready();
    cache.set("h1", match("tok_1"));
    now += 5_000;
    expect(cache.get("h1")).toEqual(match("tok_1"));
    now += 1;
    expect(cache.get("h1")).toBeUndefined();
  });

  test("a message it cannot read clears everything", async () => {
    const cache = cacheOn(a);
    await cache.ready();
    cache.set("h1", null);
    await b.publish(`${keyPrefix}token-cache`, "not json");
    await eventually(() => cache.get("h1") === undefined, { timeoutMs: 100 });
  });

  test("a dropped subscriber clears the cache and stops caching until it is subscribed again", async () => {
    const subscriber = clients.open();
    const subscriberId = await subscriber.client("ID");
    const onB = cacheOn(b, { subscriber });
    const onA = cacheOn(a);
    await Promise.all([onA.ready(), onB.ready()]);
    onB.set("h_rotated", match("tok_1"));
    onB.set("h_kept", match("tok_2"));

    await a.client("KILL", "ID", String(subscriberId));
    await eventually(() => !onB.subscribed, { what: "B to notice the drop" });
    expect(onB.get("h_kept")).toBeUndefined();
    onB.set("h_new", null);
    expect(onB.get("h_new")).toBeUndefined();
    // Published while B cannot hear it: B must not serve the old entry afterwards.
    await onA.invalidate(["h_rotated"]);

    await onB.ready({ timeoutMs: 5_000 });
    expect(onB.get("h_rotated")).toBeUndefined();
    onB.set("h_new", null);
    expect(onB.get("h_new")).toBeNull();
    onB.set("h_rotated", match("tok_3"));
    await onA.invalidate(["h_rotated"]);
    await eventually(() => onB.get("h_rotated") === undefined, { timeoutMs: 100 });
  });

  test("close() disconnects the subscriber it opened and stops caching", async () => {
    const name = `close-${crypto.randomUUID().slice(0, 8)}`;
    const own = clients.open(undefined, { name });
    const cache = new RedisTokenCache(own, { keyPrefix });
    await cache.ready();
    expect(await connectionsNamed(a, name)).toBe(2);
    await cache.close();
    for (let i = 0; i < 100 && (await connectionsNamed(a, name)) !== 1; i++) await Bun.sleep(10);
    expect(await connectionsNamed(a, name)).toBe(1);
    cache.set("h1", null);
    expect(cache.get("h1")).toBeUndefined();
  });
});
