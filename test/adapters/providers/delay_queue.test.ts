import { describe, expect, test } from "bun:test";
import { DelayQueue } from "../../../adapters/providers/_delay_queue.ts";

describe("DelayQueue", () => {
  test("releases each item once its own delay passed, whatever the other delays", async () => {
    const released: { item: string; at: number }[] = [];
    const start = performance.now();
    const queue = new DelayQueue<string>((item) =>
      released.push({ item, at: performance.now() - start }),
    );
    queue.schedule("slow", 60);
    queue.schedule("fast-1", 10);
    queue.schedule("fast-2", 10);
    queue.schedule("now", 0);
    expect(queue.size).toBe(4);
    await Bun.sleep(120);
    // Items whose due times are close may leave in either order when the scheduling itself
    // was slow (a loaded machine); the rule is each one's own delay, and 50 ms apart is order.
    expect(released.map((r) => r.item).sort()).toEqual(["fast-1", "fast-2", "now", "slow"]);
    expect(released.at(-1)?.item).toBe("slow");
    const at = Object.fromEntries(released.map((r) => [r.item, r.at]));
    expect(at["fast-1"]).toBeGreaterThanOrEqual(9);
    expect(at["fast-2"]).toBeGreaterThanOrEqual(9);
    expect(at.slow).toBeGreaterThanOrEqual(59);
    expect(queue.size).toBe(0);
  });

  test("items added to a lane while its timer runs come due at their own time", async () => {
    const released: string[] = [];
    const queue = new DelayQueue<string>((item) => released.push(item));
    queue.schedule("a", 30);
    await Bun.sleep(15);
    queue.schedule("b", 30);
    await Bun.sleep(25);
    expect(released).toEqual(["a"]);
    await Bun.sleep(30);
    expect(released).toEqual(["a", "b"]);
  });

  test("drain() hands back what is pending and cancels it", async () => {
    const released: number[] = [];
    const queue = new DelayQueue<number>((item) => released.push(item));
    for (let i = 0; i < 5; i++) queue.schedule(i, 20 + (i % 2));
    expect(queue.drain().sort()).toEqual([0, 1, 2, 3, 4]);
    expect(queue.size).toBe(0);
    await Bun.sleep(40);
    expect(released).toEqual([]);
  });

  test("keeps order and loses nothing over many items on one lane", async () => {
    const released: number[] = [];
    const queue = new DelayQueue<number>((item) => released.push(item));
    // Two waves on one lane: the first is released while the second still waits.
    for (let i = 0; i < 3000; i++) queue.schedule(i, 10);
    await Bun.sleep(4);
    for (let i = 3000; i < 6000; i++) queue.schedule(i, 10);
    await Bun.sleep(60);
    expect(released).toEqual(Array.from({ length: 6000 }, (_, i) => i));
  });
});
