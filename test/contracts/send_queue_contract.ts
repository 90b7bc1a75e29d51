/**
 * The contract of the asynchronous send queue (README "Throughput, retries, async and
 * scheduled sends"), run against every store: a queued message with a due time is leased by
 * one worker at a time (even two stores on one database racing), put back for later, finished
 * by the message store's `recordSendOutcome`, and canceled only while no worker holds it.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { at } from "../support/delivery_fixtures.ts";
import {
  type MessageStateHarness,
  queued,
  seedCompany,
  shown,
  spec,
  twoStores,
} from "./_message_state_fixtures.ts";

const canceled = { code: "canceled", message: "Canceled through the admin API" };

/**
 * Registers the contract for one adapter.
 *
 * @param name the adapter's name, shown in test names
 * @param makeStore builds a fresh, empty, migrated store; called before every test
 */
export function runSendQueueContract(
  name: string,
  makeStore: () => Promise<MessageStateHarness>,
): void {
  describe(`${name} send queue contract`, () => {
    let harness: MessageStateHarness;
    let s: StorePorts;
    beforeEach(async () => {
      harness = await makeStore();
      s = harness.store;
    });
    afterEach(() => harness.cleanup());

    test("claims only due sends, oldest due first, and never a leased one before its lease ends", async () => {
      const { ch } = await seedCompany(s);
      const [late, early, future] = [queued(ch), queued(ch), queued(ch)];
      await s.sendQueue.enqueueSend(late, { dueAt: at(5), sendKey: late.id });
      await s.sendQueue.enqueueSend(early, { dueAt: at(3), sendKey: "int_app:order-1" });
      await s.sendQueue.enqueueSend(future, { dueAt: at(50), sendKey: future.id });
      const sync = queued(ch);
      await s.messages.saveMessage(sync, []);
      const claimed = await s.sendQueue.claimDueSends(at(10), { leaseUntil: at(20), limit: 10 });
      expect(claimed.map((c) => c.message.id)).toEqual([early.id, late.id]);
      expect(claimed[0]).toMatchObject({ attempts: 0, sendKey: "int_app:order-1", dueAt: at(3) });
      expect(claimed[0]!.message).toEqual(early);
      expect(await s.sendQueue.claimDueSends(at(19), { leaseUntil: at(30), limit: 10 })).toEqual(
        [],
      );
      const again = await s.sendQueue.claimDueSends(at(20), { leaseUntil: at(30), limit: 10 });
      expect(again.map((c) => c.message.id)).toEqual([early.id, late.id]);
    });

    test("two stores claiming 60 sends at once share them: union all, overlap none", async () => {
      const { ch } = await seedCompany(s);
      const ids: string[] = [];
      for (let i = 0; i < 60; i++) {
        const m = queued(ch);
        ids.push(m.id);
        await s.sendQueue.enqueueSend(m, { dueAt: at(1), sendKey: m.id });
      }
      const { stores, close } = await twoStores(harness, s);
      try {
        const drain = async (store: StorePorts): Promise<string[]> => {
          const mine: string[] = [];
          for (;;) {
            const got = await store.sendQueue.claimDueSends(at(2), {
              leaseUntil: at(99),
              limit: 7,
            });
            if (got.length === 0) return mine;
            mine.push(...got.map((c) => c.message.id));
          }
        };
        const [a, b] = await Promise.all(stores.map(drain));
        expect([...a!, ...b!].sort()).toEqual([...ids].sort());
        expect(new Set([...a!, ...b!]).size).toBe(60);
      } finally {
        await close();
      }
    });

    test("a send put back is due again later with its attempts counted; a finished one leaves the queue", async () => {
      const { ch, hook } = await seedCompany(s);
      const m = queued(ch);
      await s.sendQueue.enqueueSend(m, { dueAt: at(1), sendKey: m.id });
      await s.sendQueue.claimDueSends(at(1), { leaseUntil: at(9), limit: 1 });
      await s.sendQueue.retrySendLater(m.id, { dueAt: at(4), attempts: 1 });
      expect(await s.sendQueue.claimDueSends(at(3), { leaseUntil: at(9), limit: 1 })).toEqual([]);
      const [back] = await s.sendQueue.claimDueSends(at(4), { leaseUntil: at(9), limit: 1 });
      expect(back).toMatchObject({ attempts: 1, dueAt: at(4) });
      const outcome = { ok: true as const, providerMessageId: "re_1", at: at(5) };
      await s.messages.recordSendOutcome(m.id, outcome, spec(ch, hook, "message.sent", at(5)));
      expect(await s.sendQueue.claimDueSends(at(50), { leaseUntil: at(60), limit: 1 })).toEqual([]);
    });

    test("cancelSend() fails a waiting send with its event; a leased or finished one has left", async () => {
      const { co, ch, hook } = await seedCompany(s);
      const [waiting, leased] = [queued(ch), queued(ch)];
      await s.sendQueue.enqueueSend(leased, { dueAt: at(1), sendKey: leased.id });
      await s.sendQueue.claimDueSends(at(1), { leaseUntil: at(9), limit: 1 });
      await s.sendQueue.enqueueSend(waiting, { dueAt: at(40), sendKey: waiting.id });
      const cancel = (id: string, now = at(2)) =>
        s.sendQueue.cancelSend(co.id, id, {
          now,
          error: canceled,
          event: spec(ch, hook, "message.failed", now),
        });
      expect(await cancel(waiting.id)).toBe("canceled");
      const stored = await s.messages.getMessage(co.id, waiting.id);
      expect(shown(stored)).toEqual(["queued", "failed"]);
      expect(stored).toMatchObject({ status: "failed", credits: 0, error: canceled });
      expect(stored?.history.at(-1)?.reason).toBe("canceled");
      expect(await cancel(waiting.id)).toBe("left");
      expect(await cancel(leased.id)).toBe("left");
      expect(await cancel("msg_unknown")).toBe("unknown");
      // A lease that ran out (its worker died) no longer holds the send.
      expect(await cancel(leased.id, at(9))).toBe("canceled");
      expect(await s.sendQueue.claimDueSends(at(99), { leaseUntil: at(100), limit: 9 })).toEqual(
        [],
      );
    });
  });
}
