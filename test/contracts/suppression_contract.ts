/**
 * The contract of the suppression and contact-window stores, run against SQLite and Postgres:
 * one row per company, channel type and address whatever the concurrency, every change with
 * its `recipient.*` event in the same transaction, and a contact's window kept at its latest.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { ChannelType, Suppression, SuppressionReason } from "../../core/domain.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { SuppressionEventSpec } from "../../core/suppression_event.ts";
import { at, channel, company, nextId, webhook } from "../support/delivery_fixtures.ts";
import type { StoreHarness } from "./store_contract.ts";

/** A harness whose store also has the suppression and contact-window ports. */
export type SuppressionHarness = StoreHarness & {
  store: StoreHarness["store"] & {
    suppressions: SuppressionStore;
    contactWindows: ContactWindowStore;
  };
};

export function runSuppressionContract(
  name: string,
  makeStore: () => Promise<SuppressionHarness>,
): void {
  describe(`${name} suppression contract`, () => {
    let harness: SuppressionHarness;
    let s: SuppressionHarness["store"];
    let companyId: string;
    let channelId: string;
    let webhookId: string;

    beforeEach(async () => {
      harness = await makeStore();
      s = harness.store;
      const co = company();
      await s.companies.createCompany(co);
      const ch = channel(co.id);
      await s.channels.createChannel(ch);
      const hook = webhook(co.id);
      await s.integrations.createWebhook(hook);
      companyId = co.id;
      channelId = ch.id;
      webhookId = hook.id;
    });
    afterEach(() => harness.cleanup());

    function suppression(
      address: string,
      options: { channelType?: ChannelType; reason?: SuppressionReason; companyId?: string } = {},
    ): Suppression {
      return {
        id: nextId("sup"),
        companyId: options.companyId ?? companyId,
        channelType: options.channelType ?? "sms",
        address,
        reason: options.reason ?? "stop",
        messageId: null,
        createdAt: at(1),
      };
    }

    function spec(
      type: SuppressionEventSpec["type"] = "recipient.suppressed",
    ): SuppressionEventSpec {
      return {
        type,
        id: nextId("evt"),
        createdAt: at(2),
        companyId,
        channel: {
          id: channelId,
          companyId,
          type: "sms",
          name: "Support line",
          address: "+15550001111",
        },
        deliveries: [[nextId("dlv"), webhookId]],
      };
    }

    test("addSuppression() stores it with its event and deliveries, in one go", async () => {
      const event = spec();
      const added = await s.suppressions.addSuppression(suppression("+15551234567"), event);
      expect(added.added).toBe(true);
      expect(added.suppression).toMatchObject({ address: "+15551234567", reason: "stop" });
      const stored = await s.deliveries.getEvent(companyId, event.id);
      expect(stored?.type).toBe("recipient.suppressed");
      expect(stored?.channelId).toBe(channelId);
      expect(JSON.parse(stored?.payload ?? "{}").data.suppression).toMatchObject({
        id: added.suppression.id,
        address: "+15551234567",
      });
      const deliveries = await s.deliveries.listDeliveries(companyId, { limit: 10 });
      expect(deliveries.data.map((d) => d.eventId)).toEqual([event.id]);
      expect(await s.suppressions.getSuppression(companyId, added.suppression.id)).toEqual(
        added.suppression,
      );
    });

    test("an address already listed keeps its first suppression, and no second event is written", async () => {
      const first = await s.suppressions.addSuppression(
        suppression("a@b.co", { channelType: "email", reason: "bounce" }),
        spec(),
      );
      const event = spec();
      const again = await s.suppressions.addSuppression(
        suppression("a@b.co", { channelType: "email", reason: "complaint" }),
        event,
      );
      expect(again).toEqual({ added: false, suppression: first.suppression });
      expect(await s.deliveries.getEvent(companyId, event.id)).toBeNull();
    });

    test("lists are per company and channel type", async () => {
      const other = company("Other");
      await s.companies.createCompany(other);
      await s.suppressions.addSuppression(
        suppression("15551234567", { channelType: "whatsapp" }),
        null,
      );
      const sms = await s.suppressions.addSuppression(suppression("+15551234567"), null);
      const foreign = await s.suppressions.addSuppression(
        suppression("+15551234567", { companyId: other.id }),
        null,
      );
      expect(sms.added && foreign.added).toBe(true);
      const found = await s.suppressions.findSuppressions(companyId, "sms", [
        "+15551234567",
        "+15550000000",
      ]);
      expect(found).toEqual([sms.suppression]);
      expect(await s.suppressions.findSuppressions(companyId, "sms", [])).toEqual([]);
      expect(await s.suppressions.getSuppression(companyId, foreign.suppression.id)).toBeNull();
    });

    test("concurrent adds of one address add it once, with one event", async () => {
      const specs = Array.from({ length: 16 }, () => spec());
      const results = await Promise.all(
        specs.map((event, i) =>
          s.suppressions.addSuppression(
            suppression("+15557654321", { reason: i % 2 ? "stop" : "manual" }),
            event,
          ),
        ),
      );
      expect(results.filter((r) => r.added)).toHaveLength(1);
      const ids = new Set(results.map((r) => r.suppression.id));
      expect(ids.size).toBe(1);
      const written = await Promise.all(
        specs.map((event) => s.deliveries.getEvent(companyId, event.id)),
      );
      expect(written.filter((e) => e !== null)).toHaveLength(1);
    });

    test("removeSuppression() removes it once, with its event; a second removal finds nothing", async () => {
      const { suppression: added } = await s.suppressions.addSuppression(
        suppression("+15551112222"),
        null,
      );
      const event = spec("recipient.unsuppressed");
      expect(await s.suppressions.removeSuppression(companyId, added.id, event)).toEqual(added);
      const stored = await s.deliveries.getEvent(companyId, event.id);
      expect(JSON.parse(stored?.payload ?? "{}")).toMatchObject({
        type: "recipient.unsuppressed",
        data: { suppression: { id: added.id } },
      });
      const late = spec("recipient.unsuppressed");
      expect(await s.suppressions.removeSuppression(companyId, added.id, late)).toBeNull();
      expect(await s.deliveries.getEvent(companyId, late.id)).toBeNull();
      expect(await s.suppressions.findSuppressions(companyId, "sms", ["+15551112222"])).toEqual([]);
    });

    test("removeSuppressionOf() removes by address within the channel type only", async () => {
      await s.suppressions.addSuppression(
        suppression("15551112222", { channelType: "whatsapp" }),
        null,
      );
      const { suppression: sms } = await s.suppressions.addSuppression(
        suppression("+15551112222"),
        null,
      );
      expect(
        await s.suppressions.removeSuppressionOf(
          companyId,
          { channelType: "sms", address: "+15551112222" },
          spec("recipient.unsuppressed"),
        ),
      ).toEqual(sms);
      expect(
        await s.suppressions.removeSuppressionOf(
          companyId,
          { channelType: "sms", address: "+15551112222" },
          null,
        ),
      ).toBeNull();
      expect(
        await s.suppressions.findSuppressions(companyId, "whatsapp", ["15551112222"]),
      ).toHaveLength(1);
    });

    test("listSuppressions() pages newest first and filters by channel type and address", async () => {
      const added: Suppression[] = [];
      for (const [i, type] of (["sms", "email", "sms", "whatsapp", "sms"] as const).entries()) {
        const address =
          type === "email" ? `u${i}@b.co` : type === "sms" ? `+1555000000${i}` : `1555000000${i}`;
        added.push(
          (await s.suppressions.addSuppression(suppression(address, { channelType: type }), null))
            .suppression,
        );
      }
      const first = await s.suppressions.listSuppressions(companyId, { limit: 2 });
      expect(first.data.map((x) => x.id)).toEqual([added[4]!.id, added[3]!.id]);
      const second = await s.suppressions.listSuppressions(companyId, {
        limit: 10,
        cursor: first.nextCursor!,
      });
      expect(second.data.map((x) => x.id)).toEqual([added[2]!.id, added[1]!.id, added[0]!.id]);
      expect(second.nextCursor).toBeNull();
      const sms = await s.suppressions.listSuppressions(companyId, {
        limit: 10,
        channelType: "sms",
      });
      expect(sms.data.map((x) => x.id)).toEqual([added[4]!.id, added[2]!.id, added[0]!.id]);
      const one = await s.suppressions.listSuppressions(companyId, {
        limit: 10,
        address: "u1@b.co",
      });
      expect(one.data.map((x) => x.id)).toEqual([added[1]!.id]);
    });

    test("a contact's window keeps the latest inbound time, whatever the order of arrival", async () => {
      expect(await s.contactWindows.lastInboundAt(channelId, "15551234567")).toBeNull();
      await s.contactWindows.recordInbound(channelId, "15551234567", at(100));
      await s.contactWindows.recordInbound(channelId, "15551234567", at(50));
      expect(await s.contactWindows.lastInboundAt(channelId, "15551234567")).toEqual(at(100));
      await Promise.all(
        [300, 200, 400, 250].map((t) =>
          s.contactWindows.recordInbound(channelId, "15551234567", at(t)),
        ),
      );
      expect(await s.contactWindows.lastInboundAt(channelId, "15551234567")).toEqual(at(400));
      expect(await s.contactWindows.lastInboundAt(channelId, "15559999999")).toBeNull();
    });
  });
}
