import { afterEach, beforeEach, expect, test } from "bun:test";
import type { Redis } from "ioredis";
import { RedisWorkSignal } from "../../../adapters/cache/work_signal_redis.ts";
import { describeRedis, eventually, RedisClients, randomPrefix } from "../../support/redis.ts";

describeRedis("RedisWorkSignal", () => {
  let clients: RedisClients;
  let keyPrefix: string;
  let signals: RedisWorkSignal[];
  let a: Redis;
  let b: Redis;

  beforeEach(() => {
    clients = new RedisClients();
    keyPrefix = randomPrefix("work");
    signals = [];
    [a, b] = [clients.open(), clients.open()];
  });
  afterEach(async () => {
    await Promise.all(signals.map((s) => s.close()));
    await clients.closeAll(keyPrefix);
  });

  const signalOn = (
    client: Redis,
    options: ConstructorParameters<typeof RedisWorkSignal>[1] = {},
  ) => {
    const signal = new RedisWorkSignal(client, { keyPrefix, ...options });
    signals.push(signal);
    return signal;
  };

  /** Counts what reaches the channel, through a subscriber of the test's own. */
  async function countPublications(): Promise<{ count: number }> {
    const spy = clients.open();
    const seen = { count: 0 };
    spy.on("message", () => seen.count++);
    await spy.subscribe(`${keyPrefix}work`);
    return seen;
  }

  test("a burst of notify() makes one publication at once and one at the end of the window", async () => {
    const coalesceMs = 300;
    const signal = signalOn(a, { coalesceMs });
    await signal.ready();
    const published = await countPublications();
    let local = 0;
    signal.subscribe(() => local++);
    for (let i = 0; i < 100; i++) signal.notify();
    expect(local).toBe(100);
    await eventually(() => published.count >= 1, { what: "the leading publication" });
    await eventually(() => published.count >= 2, { what: "the trailing publication" });
    // Nothing was notified since: the window after the trailing one stays silent.
    await Bun.sleep(coalesceMs + 50);
    expect(published.count).toBe(2);
    // The window is over: the next notification is not held back for another window.
    signal.notify();
    await eventually(() => published.count === 3, {
      timeoutMs: coalesceMs - 50,
      what: "a prompt publication",
    });
  });

  test("an instance runs its own listeners once per notify(), not again on its own echo", async () => {
    const signal = signalOn(a);
    await signal.ready();
    let calls = 0;
    signal.subscribe(() => calls++);
    signal.notify();
    await Bun.sleep(50);
    expect(calls).toBe(1);
  });

  test("listeners run once when the subscription comes back, for what was missed", async () => {
    const subscriber = clients.open();
    const subscriberId = await subscriber.client("ID");
    const onB = signalOn(b, { subscriber });
    await onB.ready();
    let calls = 0;
    onB.subscribe(() => calls++);
    await a.client("KILL", "ID", String(subscriberId));
    await eventually(() => !onB.subscribed, { what: "B to notice the drop" });
    await onB.ready();
    expect(calls).toBe(1);
  });

  test("a publication that fails is counted; local listeners still run", async () => {
    const signal = signalOn(a, { coalesceMs: 1 });
    await signal.ready();
    let calls = 0;
    signal.subscribe(() => calls++);
    a.disconnect();
    signal.notify();
    expect(calls).toBe(1);
    await eventually(() => signal.failedPublishCount === 1, { what: "the failure to be counted" });
  });
});
