/**
 * The contract of {@linkcode DeliveryStore} (docs/architecture.md#the-life-of-one-delivery: outbox, leases, retries, failing
 * runs, attempt log). It drives the ports only, so every store adapter runs the same checks.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Channel, Company, Delivery, WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery, DeliveryStore } from "../../core/ports/delivery_store.ts";
import type { OutboxDelivery, OutboxEvent } from "../../core/ports/message_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import {
  at,
  attemptOf,
  channel,
  company,
  gaveUp,
  nextId,
  outboxEvent,
  retryAt,
  succeeded,
  webhook,
} from "../support/delivery_fixtures.ts";
import { expectRejection } from "../support/rejection.ts";

/** What a contract run needs from an adapter: a fresh, empty store per test. */
export interface DeliveryHarness {
  store: StorePorts;
  cleanup(): Promise<void>;
  /**
   * A second store on the same database through connections of its own, as another process
   * or instance has. When given, claims racing across the two stores are checked too.
   */
  openSecond?(): Promise<{ store: StorePorts; close(): Promise<void> }>;
}

const LEASE_MS = 30_000;
const ids = (claims: readonly ClaimedDelivery[]): string[] => claims.map((c) => c.delivery.id);
const dlvIds = (outbox: OutboxEvent): string[] => outbox.deliveries.map(([id]) => id);

/**
 * Registers the delivery store contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runDeliveryContract(name: string, makeStore: () => Promise<DeliveryHarness>): void {
  describe(`${name} delivery store contract`, () => {
    let harness: DeliveryHarness;
    let s: StorePorts;
    let d: DeliveryStore;
    beforeEach(async () => {
      harness = await makeStore();
      s = harness.store;
      d = s.deliveries;
    });
    afterEach(() => harness.cleanup());

    /** A company with one channel and `hooks` enabled general webhooks. */
    async function seed(
      hooks = 1,
    ): Promise<{ co: Company; ch: Channel; hooks: WebhookIntegration[] }> {
      const co = company();
      await s.companies.createCompany(co);
      const ch = channel(co.id);
      await s.channels.createChannel(ch);
      const made = Array.from({ length: hooks }, () => webhook(co.id));
      for (const hook of made) await s.integrations.createWebhook(hook);
      return { co, ch, hooks: made };
    }

    /** Saves one event per second `seconds`, each to `hook`; returns the outbox entries. */
    async function eventsDueAt(
      co: Company,
      ch: Channel,
      hook: WebhookIntegration,
      seconds: readonly number[],
    ): Promise<OutboxEvent[]> {
      const made = seconds.map((t) => outboxEvent(co.id, ch.id, [hook.id], { when: at(t) }));
      for (const entry of made) await d.saveEvent(entry);
      return made;
    }

    const claim = (
      now: Date,
      limit = 100,
      extra: { perWebhookLimit?: number; excludeWebhookIds?: string[] } = {},
    ) => d.claimDue({ now, limit, leaseMs: LEASE_MS, ...extra });

    const deliveryOf = async (companyId: string, id: string): Promise<Delivery> => {
      const found = await d.getDelivery(companyId, id);
      if (found === null) throw new Error(`delivery ${id} not found`);
      return found.delivery;
    };

    describe("outbox", () => {
      test("saveEvent() stores the event and one pending delivery per target, due at once", async () => {
        const { co, ch, hooks } = await seed(2);
        const entry = outboxEvent(
          co.id,
          ch.id,
          hooks.map((h) => h.id),
          { when: at(5) },
        );
        await d.saveEvent(entry);
        expect(await d.getEvent(co.id, entry.event.id)).toEqual(entry.event);
        const listed = await d.listDeliveries(co.id, { limit: 10, eventId: entry.event.id });
        expect(listed.data.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          entry.deliveries.map(([id, webhookId]) => ({
            id,
            companyId: co.id,
            eventId: entry.event.id,
            webhookId,
            status: "pending",
            attempts: 0,
            nextAttemptAt: at(5),
            leaseUntil: null,
            lastStatusCode: null,
            lastError: null,
            createdAt: at(5),
            updatedAt: at(5),
          })),
        );
      });

      test("an event without a channel (a test to a general webhook) is stored and claimed", async () => {
        const { co, ch, hooks } = await seed();
        const test = outboxEvent(co.id, null, [hooks[0]!.id], { type: "integration.test" });
        await d.saveEvent(test);
        expect((await d.getEvent(co.id, test.event.id))?.channelId).toBeNull();
        const onChannel = await d.listEvents(co.id, { limit: 10, channelId: ch.id });
        expect(onChannel.data).toEqual([]);
        const [claimed] = await claim(at(0));
        expect(claimed?.event).toEqual(test.event);
      });

      test("messages.saveMessage() outbox rows are claimable deliveries", async () => {
        const { co, ch, hooks } = await seed();
        const msgId = nextId("msg");
        const entry = outboxEvent(co.id, ch.id, [hooks[0]!.id], { when: at(1) });
        const event = { ...entry.event, messageId: msgId };
        await s.messages.saveMessage(
          {
            id: msgId,
            companyId: co.id,
            channelId: ch.id,
            channelType: ch.type,
            direction: "outbound",
            integrationId: null,
            status: "sent",
            provider: ch.provider,
            providerMessageId: null,
            to: ["+15550002222"],
            from: ch.address,
            payload: { to: "+15550002222", body: "hi" },
            segments: 1,
            credits: 1,
            error: null,
            history: [{ status: "sent", at: at(1) }],
            createdAt: at(1),
            updatedAt: at(1),
          },
          [{ event, deliveries: entry.deliveries }],
        );
        const claims = await claim(at(1));
        expect(ids(claims)).toEqual(dlvIds(entry));
        expect(claims[0]?.event).toEqual(event);
      });

      test("a delivery saved with a lease is born claimed: no claim returns it before the lease ends", async () => {
        const { co, ch, hooks } = await seed(2);
        const entry = outboxEvent(
          co.id,
          ch.id,
          hooks.map((h) => h.id),
          { when: at(1) },
        );
        const [leased, free] = entry.deliveries as [OutboxDelivery, OutboxDelivery];
        const leaseUntil = at(30).getTime();
        await d.saveEvent({ ...entry, deliveries: [[leased[0], leased[1], leaseUntil], free] });
        expect((await deliveryOf(co.id, leased[0])).leaseUntil).toEqual(at(30));
        expect((await deliveryOf(co.id, free[0])).leaseUntil).toBeNull();
        expect(ids(await claim(at(2)))).toEqual([free[0]]);
        expect(ids(await claim(at(29)))).toEqual([]);
        expect(ids(await claim(at(30)))).toEqual([leased[0]]);
      });

      test("addDeliveries() adds pending deliveries of an existing event, due at the given time", async () => {
        const { co, ch, hooks } = await seed(2);
        const entry = outboxEvent(co.id, ch.id, [hooks[0]!.id], { when: at(1) });
        await d.saveEvent(entry);
        const replayId = nextId("dlv");
        const replay = [[replayId, hooks[1]!.id] as const];
        await d.addDeliveries(entry.event.id, replay, at(50));
        const added = await deliveryOf(co.id, replayId);
        expect(added).toMatchObject({
          companyId: co.id,
          eventId: entry.event.id,
          webhookId: hooks[1]!.id,
          status: "pending",
          attempts: 0,
          nextAttemptAt: at(50),
          leaseUntil: null,
          createdAt: at(50),
        });
        expect(ids(await claim(at(49)))).toEqual(dlvIds(entry));
        expect(ids(await claim(at(50)))).toEqual([replayId]);
        await expectRejection(
          d.addDeliveries("evt_unknown", [[nextId("dlv"), hooks[0]!.id]], at(1)),
        );
      });
    });

    describe("claimDue()", () => {
      test("rejects sizes that are not whole numbers in range, naming them, and claims nothing", async () => {
        const { ch, co, hooks } = await seed();
        await eventsDueAt(co, ch, hooks[0]!, [10]);
        const now = at(30);
        for (const bad of [
          { limit: -1 },
          { limit: 1.5 },
          { leaseMs: 0 },
          { perWebhookLimit: 0 },
          { perCompanyLimit: 0 },
          { perCompanyLimit: Number.NaN },
        ]) {
          const rejected = d.claimDue({ now, limit: 10, leaseMs: LEASE_MS, ...bad });
          await expect(rejected).rejects.toThrow(RangeError);
          await expect(rejected).rejects.toThrow(/limit must be an integer ≥ 0/);
        }
        expect(await claim(now)).toHaveLength(1);
      });

      test("claims only due deliveries, oldest first, up to the limit, with event and webhook", async () => {
        const { ch, co, hooks } = await seed();
        const hook = hooks[0]!;
        const made = await eventsDueAt(co, ch, hook, [30, 10, 20, 40]);
        const claims = await claim(at(30), 2);
        expect(ids(claims)).toEqual([made[1]!, made[2]!].flatMap(dlvIds));
        const [first] = claims;
        expect(first?.leaseUntil).toEqual(new Date(at(30).getTime() + LEASE_MS));
        expect(first?.delivery).toMatchObject({
          status: "pending",
          nextAttemptAt: at(10),
          leaseUntil: first?.leaseUntil,
          attempts: 0,
        });
        expect(first?.event).toEqual(made[1]!.event);
        expect(first?.webhook).toEqual(hook);
        // The one due at 40 is not due at 30; the one due at 30 still is.
        expect(ids(await claim(at(30)))).toEqual(dlvIds(made[0]!));
        expect(await claim(at(30))).toEqual([]);
      });

      test("a claimed delivery is not claimed again until its lease runs out; then it is", async () => {
        const { ch, co, hooks } = await seed();
        const [entry] = await eventsDueAt(co, ch, hooks[0]!, [0]);
        const [first] = await claim(at(10));
        expect(first?.delivery.id).toBe(dlvIds(entry!)[0]!);
        expect(await claim(new Date(at(10).getTime() + LEASE_MS - 1))).toEqual([]);
        const again = await claim(new Date(at(10).getTime() + LEASE_MS));
        expect(ids(again)).toEqual(dlvIds(entry!));
        expect(again[0]?.leaseUntil).toEqual(new Date(at(10).getTime() + 2 * LEASE_MS));
      });

      test("deliveries of a disabled or deleted webhook stay pending and go out once re-enabled", async () => {
        const { ch, co, hooks } = await seed(2);
        const [paused, removed] = hooks as [WebhookIntegration, WebhookIntegration];
        const [p] = await eventsDueAt(co, ch, paused, [0]);
        const [r] = await eventsDueAt(co, ch, removed, [0]);
        await s.integrations.updateIntegration(
          co.id,
          paused.id,
          { enabled: false, disabledReason: "failing" },
          at(1),
        );
        await s.integrations.deleteIntegration(co.id, removed.id);
        expect(await claim(at(100))).toEqual([]);
        expect(await d.nextDueAt()).toBeNull();
        for (const entry of [p!, r!]) {
          expect((await deliveryOf(co.id, dlvIds(entry)[0]!)).status).toBe("pending");
        }
        await s.integrations.updateIntegration(co.id, paused.id, { enabled: true }, at(2));
        expect(await d.nextDueAt()).toEqual(at(0));
        expect(ids(await claim(at(100)))).toEqual(dlvIds(p!));
      });

      test("perWebhookLimit caps each webhook; excludeWebhookIds skips webhooks", async () => {
        const { ch, co, hooks } = await seed(2);
        const [a, b] = hooks as [WebhookIntegration, WebhookIntegration];
        const ofA = (await eventsDueAt(co, ch, a, [1, 2, 3, 4])).flatMap(dlvIds);
        const ofB = (await eventsDueAt(co, ch, b, [5, 6, 7, 8])).flatMap(dlvIds);
        const capped = await claim(at(10), 10, { perWebhookLimit: 2 });
        expect(ids(capped)).toEqual([...ofA.slice(0, 2), ...ofB.slice(0, 2)]);
        const skipping = await claim(at(10), 10, { excludeWebhookIds: [a.id] });
        expect(ids(skipping)).toEqual(ofB.slice(2));
        expect(ids(await claim(at(10), 10))).toEqual(ofA.slice(2));
      });

      test("concurrent claims never hand out the same delivery", async () => {
        const { ch, co, hooks } = await seed(3);
        const all: string[] = [];
        for (const hook of hooks) {
          const made = await eventsDueAt(
            co,
            ch,
            hook,
            Array.from({ length: 20 }, (_, i) => i),
          );
          all.push(...made.flatMap(dlvIds));
        }
        const rounds = await Promise.all(Array.from({ length: 12 }, () => claim(at(100), 7)));
        const claimed = rounds.flatMap(ids);
        expect(new Set(claimed).size).toBe(claimed.length);
        expect(claimed.sort()).toEqual(all.sort());
      });

      test("two store instances on the same database never claim the same delivery", async () => {
        if (harness.openSecond === undefined) return;
        const second = await harness.openSecond();
        try {
          const { ch, co, hooks } = await seed(2);
          const all: string[] = [];
          for (const hook of hooks) {
            const made = await eventsDueAt(
              co,
              ch,
              hook,
              Array.from({ length: 30 }, (_, i) => i),
            );
            all.push(...made.flatMap(dlvIds));
          }
          const stores = [d, second.store.deliveries];
          const rounds = await Promise.all(
            Array.from({ length: 16 }, (_, i) =>
              stores[i % 2]!.claimDue({ now: at(100), limit: 5, leaseMs: LEASE_MS }),
            ),
          );
          const claimed = rounds.flatMap(ids);
          expect(new Set(claimed).size).toBe(claimed.length);
          expect(claimed.sort()).toEqual(all.sort());
          expect(
            await second.store.deliveries.claimDue({ now: at(100), limit: 5, leaseMs: LEASE_MS }),
          ).toEqual([]);
        } finally {
          await second.close();
        }
      });
    });

    describe("settle()", () => {
      test("a success logs the attempt, finishes the delivery and clears nothing else", async () => {
        const { ch, co, hooks } = await seed();
        await eventsDueAt(co, ch, hooks[0]!, [0]);
        const [c] = await claim(at(10));
        const attempt = attemptOf(c!.delivery.id, at(11), 204);
        const result = await d.settle(
          { deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil },
          attempt,
          succeeded(204),
        );
        expect(result).toEqual({ ok: true, failingSince: null });
        expect(await d.getDelivery(co.id, c!.delivery.id)).toEqual({
          delivery: {
            ...c!.delivery,
            status: "succeeded",
            attempts: 1,
            nextAttemptAt: null,
            leaseUntil: null,
            lastStatusCode: 204,
            lastError: null,
            updatedAt: new Date(at(11).getTime() + attempt.durationMs),
          },
          attempts: [attempt],
        });
        expect(await claim(at(10_000))).toEqual([]);
        expect(await d.nextDueAt()).toBeNull();
      });

      test("a settle whose lease was lost is refused and changes nothing", async () => {
        const { ch, co, hooks } = await seed();
        const hook = hooks[0]!;
        await eventsDueAt(co, ch, hook, [0]);
        const [stale] = await claim(at(0));
        const [fresh] = await claim(new Date(at(0).getTime() + LEASE_MS));
        const before = await d.getDelivery(co.id, stale!.delivery.id);
        const lost = await d.settle(
          { deliveryId: stale!.delivery.id, leaseUntil: stale!.leaseUntil },
          attemptOf(stale!.delivery.id, at(1), 500),
          retryAt(at(60)),
        );
        expect(lost).toEqual({ ok: false, code: "LEASE_LOST" });
        expect(await d.getDelivery(co.id, stale!.delivery.id)).toEqual(before);
        expect((await s.integrations.getIntegration(co.id, hook.id)) as WebhookIntegration).toEqual(
          hook,
        );
        // The holder of the live lease still settles.
        const ok = await d.settle(
          { deliveryId: fresh!.delivery.id, leaseUntil: fresh!.leaseUntil },
          attemptOf(fresh!.delivery.id, at(31), 200),
          succeeded(),
        );
        expect(ok.ok).toBe(true);
        // Settling twice with the same lease: the first settle ended it.
        expect(
          await d.settle(
            { deliveryId: fresh!.delivery.id, leaseUntil: fresh!.leaseUntil },
            attemptOf(fresh!.delivery.id, at(32), 200),
            succeeded(),
          ),
        ).toEqual({ ok: false, code: "LEASE_LOST" });
        expect((await d.getDelivery(co.id, fresh!.delivery.id))?.attempts.length).toBe(1);
      });

      test("failingSince starts at the first failure, stays through more, and a success clears it", async () => {
        const { ch, co, hooks } = await seed();
        const hook = hooks[0]!;
        await eventsDueAt(co, ch, hook, [0, 0, 0]);
        const settleNext = async (
          now: Date,
          status: number | null,
          outcome = retryAt(new Date(now.getTime() + 5000), status),
        ) => {
          const [c] = await claim(now, 1);
          if (c === undefined) throw new Error("nothing due");
          return d.settle(
            { deliveryId: c.delivery.id, leaseUntil: c.leaseUntil },
            attemptOf(c.delivery.id, now, status),
            outcome,
          );
        };
        expect(await settleNext(at(10), 503)).toEqual({ ok: true, failingSince: at(10) });
        expect(await settleNext(at(20), null)).toEqual({ ok: true, failingSince: at(10) });
        expect(await settleNext(at(30), 500, gaveUp())).toEqual({ ok: true, failingSince: at(10) });
        expect(
          ((await s.integrations.getIntegration(co.id, hook.id)) as WebhookIntegration)
            .failingSince,
        ).toEqual(at(10));
        expect(await settleNext(at(40), 200, succeeded())).toEqual({
          ok: true,
          failingSince: null,
        });
        expect(
          ((await s.integrations.getIntegration(co.id, hook.id)) as WebhookIntegration)
            .failingSince,
        ).toBeNull();
        expect(await settleNext(at(50), 502)).toEqual({ ok: true, failingSince: at(50) });
      });

      test("a pending outcome is due again at its nextAttemptAt", async () => {
        const { ch, co, hooks } = await seed();
        await eventsDueAt(co, ch, hooks[0]!, [0]);
        const [c] = await claim(at(0));
        await d.settle(
          { deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil },
          attemptOf(c!.delivery.id, at(0), 503),
          retryAt(at(5)),
        );
        expect(await deliveryOf(co.id, c!.delivery.id)).toMatchObject({
          status: "pending",
          attempts: 1,
          nextAttemptAt: at(5),
          leaseUntil: null,
          lastStatusCode: 503,
          lastError: "HTTP 503",
        });
        expect(await d.nextDueAt()).toEqual(at(5));
        expect(await claim(new Date(at(5).getTime() - 1))).toEqual([]);
        expect(ids(await claim(at(5)))).toEqual([c!.delivery.id]);
      });

      test("an outcome that contradicts itself is a caller bug: rejected, nothing written", async () => {
        const { ch, co, hooks } = await seed();
        await eventsDueAt(co, ch, hooks[0]!, [0]);
        const [c] = await claim(at(0));
        const lease = { deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil };
        const noNext = { ...retryAt(at(5)), nextAttemptAt: null };
        await expectRejection(
          d.settle(lease, attemptOf(c!.delivery.id, at(1), 503), noNext),
          TypeError,
        );
        await expectRejection(
          d.settle(lease, attemptOf("dlv_other", at(1), 200), succeeded()),
          TypeError,
        );
        expect(await d.getDelivery(co.id, c!.delivery.id)).toEqual({
          delivery: c!.delivery,
          attempts: [],
        });
      });
    });

    describe("manual attempts and retries", () => {
      test("recordManualAttempt() needs no lease, and a worker holding one loses it", async () => {
        const { co, hooks } = await seed();
        const hook = hooks[0]!;
        const test = outboxEvent(co.id, null, [hook.id], { type: "integration.test", when: at(1) });
        await d.saveEvent(test);
        const [c] = await claim(at(1));
        const manual = attemptOf(c!.delivery.id, at(2), 500, "manual");
        await d.recordManualAttempt(c!.delivery.id, manual, gaveUp(500));
        expect(await d.getDelivery(co.id, c!.delivery.id)).toEqual({
          delivery: {
            ...c!.delivery,
            status: "failed",
            attempts: 1,
            nextAttemptAt: null,
            leaseUntil: null,
            lastStatusCode: 500,
            lastError: "HTTP 500",
            updatedAt: new Date(at(2).getTime() + manual.durationMs),
          },
          attempts: [manual],
        });
        expect(
          ((await s.integrations.getIntegration(co.id, hook.id)) as WebhookIntegration)
            .failingSince,
        ).toEqual(at(2));
        const late = await d.settle(
          { deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil },
          attemptOf(c!.delivery.id, at(3), 200),
          succeeded(),
        );
        expect(late).toEqual({ ok: false, code: "LEASE_LOST" });
        await expectRejection(
          d.recordManualAttempt("dlv_unknown", attemptOf("dlv_unknown", at(4), 200), succeeded()),
        );
      });

      test("retryDelivery() makes a failed or succeeded delivery due again; attempts stay, oldest first", async () => {
        const { ch, co, hooks } = await seed();
        await eventsDueAt(co, ch, hooks[0]!, [0]);
        const [c] = await claim(at(0));
        const first = attemptOf(c!.delivery.id, at(1), 500);
        await d.settle({ deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil }, first, gaveUp());
        expect(await claim(at(100))).toEqual([]);
        const retried = await d.retryDelivery(co.id, c!.delivery.id, at(100));
        expect(retried).toEqual({
          ...(await deliveryOf(co.id, c!.delivery.id)),
          status: "pending",
          nextAttemptAt: at(100),
          leaseUntil: null,
          updatedAt: at(100),
        });
        expect(retried).toMatchObject({ attempts: 1, lastStatusCode: 500 });
        const [again] = await claim(at(100));
        const second = attemptOf(c!.delivery.id, at(101), 200);
        await d.settle(
          { deliveryId: again!.delivery.id, leaseUntil: again!.leaseUntil },
          second,
          succeeded(),
        );
        // A manual resend of a delivered event.
        expect((await d.retryDelivery(co.id, c!.delivery.id, at(200)))?.status).toBe("pending");
        const [third] = await claim(at(200));
        // A retry drops the lease of a worker that holds one.
        await d.retryDelivery(co.id, c!.delivery.id, at(201));
        expect(
          await d.settle(
            { deliveryId: third!.delivery.id, leaseUntil: third!.leaseUntil },
            attemptOf(c!.delivery.id, at(202), 200),
            succeeded(),
          ),
        ).toEqual({ ok: false, code: "LEASE_LOST" });
        expect((await d.getDelivery(co.id, c!.delivery.id))?.attempts).toEqual([first, second]);
      });

      test("another company's or an unknown id gives null and changes nothing", async () => {
        const { ch, co, hooks } = await seed();
        const [entry] = await eventsDueAt(co, ch, hooks[0]!, [0]);
        const dlv = dlvIds(entry!)[0]!;
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await d.getEvent(other.id, entry!.event.id)).toBeNull();
        expect(await d.getDelivery(other.id, dlv)).toBeNull();
        expect(await d.retryDelivery(other.id, dlv, at(99))).toBeNull();
        expect(await d.retryDelivery(co.id, "dlv_unknown", at(99))).toBeNull();
        expect(await d.getEvent(co.id, "evt_unknown")).toBeNull();
        expect(await d.listEvents(other.id, { limit: 10 })).toEqual({ data: [], nextCursor: null });
        expect(await d.listDeliveries(other.id, { limit: 10 })).toEqual({
          data: [],
          nextCursor: null,
        });
        expect((await deliveryOf(co.id, dlv)).nextAttemptAt).toEqual(at(0));
      });
    });

    describe("nextDueAt()", () => {
      test("is the earliest time a claim could find work; a lease pushes its delivery back", async () => {
        expect(await d.nextDueAt()).toBeNull();
        const { ch, co, hooks } = await seed(2);
        await eventsDueAt(co, ch, hooks[0]!, [40, 20]);
        await eventsDueAt(co, ch, hooks[1]!, [30]);
        expect(await d.nextDueAt()).toEqual(at(20));
        const [c] = await claim(at(25), 1);
        expect(c?.delivery.nextAttemptAt).toEqual(at(20));
        // A worker that dies leaves its lease: that delivery is due when the lease runs out.
        expect(await d.nextDueAt()).toEqual(at(30));
        await claim(at(45), 2);
        expect(await d.nextDueAt()).toEqual(c!.leaseUntil);
      });
    });

    describe("listings", () => {
      test("listEvents() pages newest first, filtered by channel and type", async () => {
        const { ch, co, hooks } = await seed();
        const ch2 = channel(co.id);
        await s.channels.createChannel(ch2);
        const made = [
          outboxEvent(co.id, ch.id, [hooks[0]!.id]),
          outboxEvent(co.id, ch2.id, [], { type: "message.received" }),
          outboxEvent(co.id, ch.id, [], { type: "message.delivered" }),
          outboxEvent(co.id, null, [hooks[0]!.id], { type: "integration.test" }),
          outboxEvent(co.id, ch2.id, [hooks[0]!.id]),
        ];
        for (const entry of made) await d.saveEvent(entry);
        const newest = made.map((e) => e.event).reverse();
        const first = await d.listEvents(co.id, { limit: 2 });
        expect(first).toEqual({ data: newest.slice(0, 2), nextCursor: newest[1]!.id });
        const second = await d.listEvents(co.id, { limit: 2, cursor: first.nextCursor! });
        expect(second).toEqual({ data: newest.slice(2, 4), nextCursor: newest[3]!.id });
        const last = await d.listEvents(co.id, { limit: 2, cursor: second.nextCursor! });
        expect(last).toEqual({ data: newest.slice(4), nextCursor: null });
        expect((await d.listEvents(co.id, { limit: 10, channelId: ch2.id })).data).toEqual([
          made[4]!.event,
          made[1]!.event,
        ]);
        expect((await d.listEvents(co.id, { limit: 10, type: "message.sent" })).data).toEqual([
          made[4]!.event,
          made[0]!.event,
        ]);
        expect(
          (await d.listEvents(co.id, { limit: 10, channelId: ch.id, type: "message.delivered" }))
            .data,
        ).toEqual([made[2]!.event]);
      });

      test("listDeliveries() pages newest first, filtered by webhook, event and status", async () => {
        const { ch, co, hooks } = await seed(2);
        const [a, b] = hooks as [WebhookIntegration, WebhookIntegration];
        const both = outboxEvent(co.id, ch.id, [a.id, b.id], { when: at(1) });
        const onlyA = outboxEvent(co.id, ch.id, [a.id], { when: at(2) });
        await d.saveEvent(both);
        await d.saveEvent(onlyA);
        const [c] = await claim(at(5), 1);
        await d.settle(
          { deliveryId: c!.delivery.id, leaseUntil: c!.leaseUntil },
          attemptOf(c!.delivery.id, at(5), 500),
          gaveUp(),
        );
        const all = [...dlvIds(both), ...dlvIds(onlyA)].reverse();
        const first = await d.listDeliveries(co.id, { limit: 2 });
        expect(first.data.map((x) => x.id)).toEqual(all.slice(0, 2));
        const rest = await d.listDeliveries(co.id, { limit: 2, cursor: first.nextCursor! });
        expect(rest.data.map((x) => x.id)).toEqual(all.slice(2));
        expect(rest.nextCursor).toBeNull();
        const list = async (filter: {
          webhookId?: string;
          eventId?: string;
          status?: Delivery["status"];
        }) => (await d.listDeliveries(co.id, { limit: 10, ...filter })).data.map((x) => x.id);
        expect(await list({ webhookId: b.id })).toEqual([dlvIds(both)[1]!]);
        expect(await list({ eventId: onlyA.event.id })).toEqual(dlvIds(onlyA));
        expect(await list({ status: "failed" })).toEqual([c!.delivery.id]);
        expect(await list({ webhookId: a.id, status: "pending" })).toEqual(
          [...dlvIds(both), ...dlvIds(onlyA)]
            .filter((id) => id !== c!.delivery.id && id !== dlvIds(both)[1])
            .reverse(),
        );
      });
    });
  });
}
