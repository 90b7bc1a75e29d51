import { describe, expect, test } from "bun:test";
import { PolledWorkSignal } from "../../../adapters/cache/work_signal_polled.ts";
import type { ChangeGenerations } from "../../../core/ports/change_generations.ts";

/** Counters in memory, shared by the signals of several "instances". */
function sharedCounters(): ChangeGenerations & { failNext: boolean } {
  const values = new Map<string, number>();
  return {
    failNext: false,
    async bump(name) {
      if (this.failNext) {
        this.failNext = false;
        throw new Error("database down");
      }
      values.set(name, (values.get(name) ?? 0) + 1);
    },
    async read(name) {
      return values.get(name) ?? 0;
    },
  };
}

describe("PolledWorkSignal", () => {
  test("this instance hears notify() at once; another hears it at its next poll, once", async () => {
    const counters = sharedCounters();
    const here = new PolledWorkSignal(counters, "webhooks", { everyMs: 60_000 });
    const there = new PolledWorkSignal(counters, "webhooks", { everyMs: 60_000 });
    let heardHere = 0;
    let heardThere = 0;
    here.subscribe(() => heardHere++);
    there.subscribe(() => heardThere++);
    await there.poll(); // the baseline
    here.notify();
    here.notify();
    expect(heardHere).toBe(2);
    expect(heardThere).toBe(0);
    await Bun.sleep(0);
    await there.poll();
    expect(heardThere).toBe(1);
    await there.poll();
    expect(heardThere).toBe(1);
    await Promise.all([here.close(), there.close()]);
  });

  test("a counter of another name is not heard", async () => {
    const counters = sharedCounters();
    const webhooks = new PolledWorkSignal(counters, "webhooks", { everyMs: 60_000 });
    const other = new PolledWorkSignal(counters, "other", { everyMs: 60_000 });
    let heard = 0;
    webhooks.subscribe(() => heard++);
    await webhooks.poll();
    other.notify();
    await Bun.sleep(0);
    await webhooks.poll();
    expect(heard).toBe(0);
    await Promise.all([webhooks.close(), other.close()]);
  });

  test("a bump that fails is reported, not thrown, and the listeners here still hear it", async () => {
    const counters = sharedCounters();
    const errors: unknown[] = [];
    const signal = new PolledWorkSignal(counters, "webhooks", {
      everyMs: 60_000,
      onError: (error) => errors.push(error),
    });
    let heard = 0;
    signal.subscribe(() => heard++);
    counters.failNext = true;
    expect(() => signal.notify()).not.toThrow();
    await Bun.sleep(0);
    expect(heard).toBe(1);
    expect(String(errors[0])).toContain("database down");
    await signal.close();
  });
});
