import { describe, expect, test } from "bun:test";
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import { DestinationSlots } from "../../server/worker/destination_slots.ts";
import { company, webhook } from "../contracts/_delivery_fixtures.ts";

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
    const [keyA] = started[0] ?? [];
    slots.release(keyA as string);
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
    const [[key] = []] = slots.startable();
    expect(slots.busy().webhookIds).toEqual([hookA.id]);
    slots.release(key as string);
    expect(slots.startable()).toHaveLength(1);
    expect(slots.counts).toEqual({ inFlight: 1, queued: 0, reserved: 0 });
    expect(slots.busy().webhookIds).toEqual([]);
  });
});
