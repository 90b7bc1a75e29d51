/**
 * The operator's housekeeping on a store (README "Retention", "Recovering deliveries",
 * "Operator alerts"): what a retention batch deletes and what it never does, job leases one
 * holder at a time (across two stores on one database), recovery of failed deliveries, and
 * the operator alerts' outbox.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Message } from "../../core/domain.ts";
import { operatorAlert } from "../../core/operator_alert.ts";
import type { OperationsStore } from "../../core/ports/operations_store.ts";
import type { OperatorAlertStore } from "../../core/ports/operator_alert_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import {
  at,
  attemptOf,
  gaveUp,
  nextId,
  outboxEvent,
  succeeded,
  webhook,
} from "../support/delivery_fixtures.ts";
import { queued, received, seedCompany, sent } from "./_message_state_fixtures.ts";
import type { StoreInspector } from "./store_contract.ts";

type Ports = StorePorts & { operations: OperationsStore; operatorAlerts: OperatorAlertStore };

export interface OperationsHarness {
  store: Ports;
  inspect: StoreInspector;
  cleanup(): Promise<void>;
  /** A second store on the same database (its own connections), as another instance has. */
  openSecond?(): Promise<{ store: StorePorts; close(): Promise<void> }>;
}

const DAY_S = 86_400;

/** A whole run, step by step, `limit` rows a batch; answers the totals and the batch count. */
async function purgeAll(ops: OperationsStore, before: Date, limit: number) {
  const total = { attempts: 0, deliveries: 0, events: 0, statusReports: 0, messages: 0 };
  let batches = 0;
  for (const step of ["deliveries", "events", "messages", "reports"] as const) {
    for (let after: string | null = ""; after !== null; ) {
      const batch = await ops.purgeBatch({ step, before, limit, after });
      if (++batches > 100) throw new Error("retention never finished");
      if (step === "deliveries") total.attempts += batch.related;
      if (step === "messages" || step === "reports") total.statusReports += batch.related;
      const key = step === "reports" ? "statusReports" : step;
      total[key] += batch.deleted;
      after = batch.next;
    }
  }
  return { total, batches };
}

export function runOperationsContract(name: string, make: () => Promise<OperationsHarness>): void {
  describe(`${name} operations store contract`, () => {
    let h: OperationsHarness;
    let s: Ports;
    beforeEach(async () => {
      h = await make();
      s = h.store;
    });
    afterEach(() => h.cleanup());

    test("retention deletes old settled rows in batches, never pending work or newer rows", async () => {
      const { co, ch, hook } = await seedCompany(s);
      // Old, settled: a sent message, its delivered event, the attempt, a provider report.
      const old = sent(ch, "SM-old");
      const oldEvent = received(old, hook);
      await s.messages.saveMessage(old, [oldEvent]);
      const [oldDelivery] = oldEvent.deliveries[0] ?? [];
      await s.deliveries.recordManualAttempt(
        String(oldDelivery),
        attemptOf(String(oldDelivery), at(5), 200),
        succeeded(),
      );
      await s.messages.reportStatus({
        channelId: ch.id,
        providerMessageId: "SM-old",
        key: "delivered",
        report: { status: "delivered", at: at(6) },
        event: null,
      });
      // Old but pending: a queued message, and a message whose delivery still waits.
      const stillQueued = queued(ch);
      await s.messages.saveMessage(stillQueued, []);
      const waiting = sent(ch, "SM-waiting");
      const waitingEvent = received(waiting, hook);
      await s.messages.saveMessage(waiting, [waitingEvent]);
      // A report that never found its message, and a message newer than the cut-off.
      await s.messages.reportStatus({
        channelId: ch.id,
        providerMessageId: "SM-nobody",
        key: "delivered",
        report: { status: "delivered", at: at(7) },
        event: null,
      });
      const oldInbound = {
        ...sent(ch, "SM-in"),
        direction: "inbound" as const,
        status: "received" as const,
      };
      await s.messages.saveMessage(oldInbound, []);
      const recent: Message = { ...sent(ch, "SM-new"), createdAt: at(40 * DAY_S) };
      await s.messages.saveMessage(recent, []);

      const { total, batches } = await purgeAll(s.operations, at(30 * DAY_S), 1);
      expect(total).toEqual({
        attempts: 1,
        deliveries: 1,
        events: 1,
        statusReports: 2,
        messages: 2,
      });
      expect(batches).toBeGreaterThanOrEqual(3);
      expect(await s.messages.getMessage(co.id, old.id)).toBeNull();
      expect(await s.deliveries.getEvent(co.id, oldEvent.event.id)).toBeNull();
      expect((await s.messages.getMessage(co.id, stillQueued.id))?.status).toBe("queued");
      expect(await s.messages.getMessage(co.id, waiting.id)).not.toBeNull();
      expect(await s.deliveries.getEvent(co.id, waitingEvent.event.id)).not.toBeNull();
      expect(await s.messages.getMessage(co.id, recent.id)).not.toBeNull();
      expect(await h.inspect.count("deliveries")).toBe(1);
    });

    test("a batch looks at `limit` rows however many it keeps: pending rows are passed over", async () => {
      const { co, ch, hook } = await seedCompany(s);
      const pending = [1, 2, 3].map((t) => outboxEvent(co.id, ch.id, [hook.id], { when: at(t) }));
      for (const entry of pending) await s.deliveries.saveEvent(entry);
      const settled = outboxEvent(co.id, ch.id, [hook.id], { when: at(4) });
      await s.deliveries.saveEvent(settled);
      const id = String(settled.deliveries[0]?.[0]);
      await s.deliveries.recordManualAttempt(id, attemptOf(id, at(5), 200), succeeded());

      const options = { step: "deliveries" as const, before: at(30 * DAY_S), limit: 2 };
      const first = await s.operations.purgeBatch({ ...options, after: "" });
      expect(first).toEqual({
        deleted: 0,
        related: 0,
        next: String(pending[1]?.deliveries[0]?.[0]),
      });
      const second = await s.operations.purgeBatch({ ...options, after: first.next ?? "" });
      expect([second.deleted, second.related]).toEqual([1, 1]);
      expect(second.next).not.toBeNull();
      const third = await s.operations.purgeBatch({ ...options, after: second.next ?? "" });
      expect(third).toEqual({ deleted: 0, related: 0, next: null });
      expect(await h.inspect.count("deliveries")).toBe(3);
    });

    test("a job lease has one holder until it runs out, also across two stores at once", async () => {
      const lease = (holder: string, nowS: number, store = s) =>
        store.operations.acquireJobLease({
          name: "retention",
          holder,
          now: at(nowS),
          until: at(nowS + 60),
        });
      expect(await lease("a", 0)).toBe(true);
      expect(await lease("b", 30)).toBe(false);
      expect(await lease("a", 30)).toBe(true); // renewed until 90
      expect(await lease("b", 89)).toBe(false);
      expect(await lease("b", 90)).toBe(true);

      const second = await h.openSecond?.();
      // Every adapter's store has the operations ports; the harness types only the shared ones.
      const other = (second?.store as Ports | undefined) ?? s;
      try {
        const holders = Array.from({ length: 8 }, (_, i) => `racer-${i}`);
        const won = await Promise.all(
          holders.map((holder, i) => lease(holder, 1_000, i % 2 === 0 ? s : other)),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
      } finally {
        await second?.close();
      }
    });

    test("recover re-queues a webhook's failed deliveries of the period; a dry run only counts", async () => {
      const { co, ch, hook } = await seedCompany(s);
      const other = webhook(co.id);
      await s.integrations.createWebhook(other);
      const fail = async (hookId: string, atS: number) => {
        const entry = outboxEvent(co.id, ch.id, [hookId], { when: at(atS) });
        await s.deliveries.saveEvent(entry);
        const id = String(entry.deliveries[0]?.[0]);
        await s.deliveries.recordManualAttempt(id, attemptOf(id, at(atS), 500), gaveUp());
        return id;
      };
      const early = await fail(hook.id, 10);
      const inPeriod = [await fail(hook.id, 100), await fail(hook.id, 200)];
      const otherHook = await fail(other.id, 150);
      const base = { companyId: co.id, webhookId: hook.id, since: at(50), now: at(300) };

      expect(await s.operations.recoverDeliveries({ ...base, dryRun: true })).toBe(2);
      expect((await s.deliveries.getDelivery(co.id, inPeriod[0] ?? ""))?.delivery.status).toBe(
        "failed",
      );
      expect(await s.operations.recoverDeliveries({ ...base, dryRun: false })).toBe(2);
      for (const id of inPeriod) {
        const found = (await s.deliveries.getDelivery(co.id, id))?.delivery;
        expect(found?.status).toBe("pending");
        expect(found?.nextAttemptAt).toEqual(at(300));
        expect(found?.leaseUntil).toBeNull();
      }
      expect((await s.deliveries.getDelivery(co.id, early))?.delivery.status).toBe("failed");
      expect((await s.deliveries.getDelivery(co.id, otherHook))?.delivery.status).toBe("failed");
      const claimed = await s.deliveries.claimDue({ now: at(300), limit: 10, leaseMs: 1_000 });
      expect(claimed.map((c) => c.delivery.id).sort()).toEqual([...inPeriod].sort());
      // Another company's key finds nothing.
      expect(
        await s.operations.recoverDeliveries({ ...base, companyId: "co_other", dryRun: true }),
      ).toBe(0);
    });

    test("operator alerts: one per incident, leased, retried, settled once", async () => {
      const alert = (incident: string) =>
        operatorAlert("webhook.disabled", {
          id: nextId("evt"),
          incident: ["int_x", incident],
          data: { webhookId: "int_x" },
          at: at(0),
        });
      expect(await s.operatorAlerts.enqueue(alert("run-1"))).toBe(true);
      expect(await s.operatorAlerts.enqueue(alert("run-1"))).toBe(false);
      expect(await s.operatorAlerts.enqueue(alert("run-2"))).toBe(true);

      const first = await s.operatorAlerts.claimDue({ now: at(1), limit: 1, leaseMs: 10_000 });
      expect(first).toHaveLength(1);
      const claimed = first[0];
      if (claimed === undefined) throw new Error("no claim");
      expect(JSON.parse(claimed.payload)).toMatchObject({ type: "webhook.disabled" });
      expect(claimed.attempts).toBe(0);
      // Leased: the next claim takes the other alert only.
      const second = await s.operatorAlerts.claimDue({ now: at(2), limit: 5, leaseMs: 100_000 });
      expect(second.map((c) => c.id)).not.toContain(claimed.id);
      expect(second).toHaveLength(1);

      const retry = { status: "pending" as const, nextAttemptAt: at(60), lastError: "HTTP 503" };
      expect(await s.operatorAlerts.settle(claimed, { ...retry, at: at(3) })).toBe(true);
      // The lease is gone with the settle: a stale settle is refused.
      expect(await s.operatorAlerts.settle(claimed, { ...retry, at: at(4) })).toBe(false);
      expect(await s.operatorAlerts.claimDue({ now: at(59), limit: 5, leaseMs: 1 })).toHaveLength(
        0,
      );
      const again = await s.operatorAlerts.claimDue({ now: at(60), limit: 5, leaseMs: 10_000 });
      expect(again.map((c) => [c.id, c.attempts])).toEqual([[claimed.id, 1]]);
      const done = { status: "delivered" as const, nextAttemptAt: null, lastError: null };
      expect(await s.operatorAlerts.settle(again[0] ?? claimed, { ...done, at: at(61) })).toBe(
        true,
      );
      expect(
        await s.operatorAlerts.claimDue({ now: at(9_999), limit: 5, leaseMs: 1 }),
      ).toHaveLength(
        1, // only the second alert, whose lease ran out
      );
    });
  });
}
