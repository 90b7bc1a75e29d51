/**
 * Claims are fair across companies, on every store: `perCompanyLimit` bounds what one company
 * gets from a claim and `companyRoom` overrides it per company (0: none), so one tenant's
 * backlog never fills a claim.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { at, channel, company, outboxEvent, webhook } from "../support/delivery_fixtures.ts";
import type { StoreHarness } from "./store_contract.ts";

/**
 * Registers the fair-claim contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runFairClaimContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`${name} fair claim contract`, () => {
    let harness: StoreHarness;
    beforeEach(async () => {
      harness = await makeStore();
    });
    afterEach(() => harness.cleanup());

    /** Company A: 3 webhooks × 10 due deliveries; company B: 1 webhook × 2, newer. */
    async function backlog() {
      const { companies, channels, integrations, deliveries } = harness.store;
      const ids: Record<string, string> = {};
      for (const [label, hooks, events, second] of [
        ["a", 3, 10, 0],
        ["b", 1, 2, 50],
      ] as const) {
        const co = company(label);
        ids[label] = co.id;
        await companies.createCompany(co);
        const ch = channel(co.id);
        await channels.createChannel(ch);
        const made = Array.from({ length: hooks }, (_, i) =>
          webhook(co.id, { url: `https://${label}${i}.example.com/` }),
        );
        for (const hook of made) await integrations.createWebhook(hook);
        for (let n = 0; n < events; n++) {
          const ids = made.map((h) => h.id);
          await deliveries.saveEvent(outboxEvent(co.id, ch.id, ids, { when: at(second + n) }));
        }
      }
      return { a: ids.a as string, b: ids.b as string };
    }

    const claim = (extra: Record<string, unknown>) =>
      harness.store.deliveries.claimDue({
        now: at(1000),
        limit: 100,
        leaseMs: 60_000,
        perWebhookLimit: 10,
        ...extra,
      });
    const countBy = (claims: Awaited<ReturnType<typeof claim>>, companyId: string) =>
      claims.filter((c) => c.delivery.companyId === companyId).length;

    test("perCompanyLimit bounds each company; the oldest go first", async () => {
      const { a, b } = await backlog();
      const claims = await claim({ perCompanyLimit: 5 });
      expect(countBy(claims, a)).toBe(5);
      expect(countBy(claims, b)).toBe(2);
      const times = claims.filter((c) => c.delivery.companyId === a).map((c) => c.event.createdAt);
      expect(times.every((t) => t.getTime() <= at(1).getTime())).toBe(true);
    });

    test("companyRoom overrides it per company; 0 takes none", async () => {
      const { a, b } = await backlog();
      const none = await claim({ perCompanyLimit: 5, companyRoom: new Map([[a, 0]]) });
      expect(countBy(none, a)).toBe(0);
      expect(countBy(none, b)).toBe(2);
      const some = await claim({ perCompanyLimit: 5, companyRoom: new Map([[b, 7]]) });
      expect(countBy(some, a)).toBe(5);
      expect(countBy(some, b)).toBe(0); // B's two are leased already
    });

    test("without a company bound a claim takes what it may", async () => {
      const { a, b } = await backlog();
      const claims = await claim({});
      expect(countBy(claims, a)).toBe(30);
      expect(countBy(claims, b)).toBe(2);
    });
  });
}
