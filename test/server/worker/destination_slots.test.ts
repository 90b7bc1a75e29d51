import { describe, expect, test } from "bun:test";
import type { ClaimedDelivery } from "../../../core/ports/delivery_store.ts";
import { DestinationSlots } from "../../../server/worker/destination_slots.ts";
import { company, webhook } from "../../support/delivery_fixtures.ts";

const co = company();
const hookA = webhook(co.id, { url: "https://a.example.com/hook" });
const hookA2 = webhook(co.id, { url: "https://a.example.com/hook" }); // same destination
const hookB = webhook(co.id, { url: "https://b.example.com/hook" });
let n = 0;
const claimFor = (hook: typeof hookA) =>
  ({ delivery: { id: `dlv_${++n}` }, webhook: hook }) as unknown as ClaimedDelivery;

describe("DestinationSlots", () => {
  test("starts at most perDestination per destination, the rest wait in order", () => {
    const slots = new DestinationSlots({ perDestination: 2, maxInFlight: 100 });
    const claims = [claimFor(hookA), claimFor(hookA2), claimFor(hookA), claimFor(hookB)];
    for (const claim of claims) slots.enqueue(claim);
    const started = slots.startable();
    expect(started.map(([, c]) => c)).toEqual([0, 1, 3].map((i) => claims[i] as ClaimedDelivery));
    expect(slots.counts).toEqual({ inFlight: 3, queued: 1, reserved: 0 });
    expect(slots.startable()).toEqual([]);
    const [keyA, claimA] = started[0] ?? [];
    slots.release(claimA as ClaimedDelivery);
    expect(slots.startable().map(([, c]) => c)).toEqual([claims[2] as ClaimedDelivery]);
    expect(slots.hasQueued(keyA as string)).toBe(false);
  });

  test("the worker-wide limit holds across destinations", () => {
    const slots = new DestinationSlots({ perDestination: 5, maxInFlight: 2 });
    for (const hook of [hookA, hookB, hookB]) slots.enqueue(claimFor(hook));
    expect(slots.startable()).toHaveLength(2);
    expect(slots.counts.queued).toBe(1);
  });

  test("a reservation takes a slot until given back, and marks its destination busy", () => {
    const slots = new DestinationSlots({ perDestination: 1, maxInFlight: 10 });
    expect(slots.reserve(hookA)).toBe(true);
    expect(slots.reserve(hookA2)).toBe(false); // same destination, no slot left
    expect(slots.busy().webhookIds.sort()).toEqual([hookA.id, hookA2.id].sort());
    slots.unreserve(hookA);
    expect(slots.counts.reserved).toBe(0);
    expect(slots.busy().webhookIds).toEqual([]);
    expect(slots.reserve(hookB)).toBe(true);
  });

  test("destinations with claimed work waiting are busy; in-flight alone is not", () => {
    const slots = new DestinationSlots({ perDestination: 1, maxInFlight: 10 });
    slots.enqueue(claimFor(hookA));
    slots.enqueue(claimFor(hookA));
    const [[, claim] = []] = slots.startable();
    expect(slots.busy().webhookIds).toEqual([hookA.id]);
    slots.release(claim as ClaimedDelivery);
    expect(slots.startable()).toHaveLength(1);
    expect(slots.counts).toEqual({ inFlight: 1, queued: 0, reserved: 0 });
    expect(slots.busy().webhookIds).toEqual([]);
  });

  test("one host holds at most perHost attempts, however many destinations it has", () => {
    const slots = new DestinationSlots({ perDestination: 8, maxInFlight: 100, perHost: 3 });
    const sameHost = [1, 2, 3, 4, 5].map((i) =>
      webhook(co.id, { url: `https://slow.example.com/h?i=${i}` }),
    );
    for (const hook of sameHost) slots.enqueue(claimFor(hook));
    slots.enqueue(claimFor(hookB));
    const started = slots.startable();
    expect(started.filter(([, c]) => c.webhook.url.startsWith("https://slow.")).length).toBe(3);
    expect(started.some(([, c]) => c.webhook === hookB)).toBe(true);
    slots.release(started[0]![1]);
    expect(slots.startable()).toHaveLength(1);
  });

  test("one company holds at most perCompany attempts; others start meanwhile", () => {
    const other = company("Other");
    const slots = new DestinationSlots({ perDestination: 8, maxInFlight: 100, perCompany: 4 });
    const many = [1, 2, 3, 4, 5, 6].map((i) =>
      webhook(co.id, { url: `https://h${i}.example.com/` }),
    );
    for (const hook of many) slots.enqueue(claimFor(hook));
    const theirs = webhook(other.id, { url: "https://other.example.com/" });
    slots.enqueue(claimFor(theirs));
    const started = slots.startable();
    expect(started.filter(([, c]) => c.webhook.companyId === co.id)).toHaveLength(4);
    expect(started.filter(([, c]) => c.webhook.companyId === other.id)).toHaveLength(1);
    expect(slots.busy().companyRoom.get(co.id)).toBe(2); // twice the bound, less the 6 held
  });

  test("the reserved slots go only to companies with few attempts in flight", () => {
    const small = company("Small");
    const slots = new DestinationSlots({
      perDestination: 2,
      maxInFlight: 10,
      perCompany: 10,
      reserved: 4,
    });
    const big = [1, 2, 3, 4, 5].map((i) => webhook(co.id, { url: `https://b${i}.example.com/` }));
    for (const hook of big) for (let k = 0; k < 2; k++) slots.enqueue(claimFor(hook));
    expect(slots.startable()).toHaveLength(6); // 10 slots, the last 4 kept
    const theirs = webhook(small.id, { url: "https://small.example.com/" });
    slots.enqueue(claimFor(theirs));
    slots.enqueue(claimFor(theirs));
    expect(slots.startable().map(([, c]) => c.webhook.companyId)).toEqual([small.id, small.id]);
    expect(slots.reserve(big[0]!)).toBe(false);
  });
});
