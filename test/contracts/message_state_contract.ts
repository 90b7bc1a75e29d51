/**
 * The contract of a message's status (README "Message statuses"), run against every store:
 * statuses move forward by the one rule inside the write, a provider report has one effect
 * whatever its copies, and a report that beats its message waits and applies in the write that
 * gives the message its id. Races use two stores on one database (what two processes or
 * instances hold) where the adapter can open a second one.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Channel, WebhookIntegration } from "../../core/domain.ts";
import type { ProviderReport } from "../../core/ports/message_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { at } from "../support/delivery_fixtures.ts";
import {
  type MessageStateHarness,
  queued,
  seedCompany,
  sent,
  shown,
  spec,
  twoStores,
} from "./_message_state_fixtures.ts";
import type { StoreInspector } from "./store_contract.ts";

/**
 * Registers the contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runMessageStateContract(
  name: string,
  makeStore: () => Promise<MessageStateHarness>,
): void {
  describe(`${name} message state contract`, () => {
    let harness: MessageStateHarness;
    let s: StorePorts;
    let inspect: StoreInspector;
    beforeEach(async () => {
      harness = await makeStore();
      s = harness.store;
      inspect = harness.inspect;
    });
    afterEach(() => harness.cleanup());
    const seed = (type?: Channel["type"]) => seedCompany(s, type);
    const bothStores = () => twoStores(harness, s);

    function providerReport(
      ch: Channel,
      hook: WebhookIntegration,
      providerMessageId: string,
      status: "delivered" | "read" | "failed",
      key: string = status,
    ): ProviderReport {
      return {
        channelId: ch.id,
        providerMessageId,
        key,
        report:
          status === "failed" ? { status, at: at(3), reason: "30003" } : { status, at: at(3) },
        event: spec(ch, hook, `message.${status}`, at(3)),
      };
    }

    test("recordSendOutcome() moves a queued message to sent with its provider id, or to failed with its error and no credits", async () => {
      const { co, ch, hook } = await seed();
      const ok = queued(ch);
      const ko = queued(ch);
      await s.messages.saveMessage(ok, []);
      await s.messages.saveMessage(ko, []);
      const sent = spec(ch, hook, "message.sent");
      expect(
        await s.messages.recordSendOutcome(
          ok.id,
          { ok: true, providerMessageId: "SM1", at: at(2) },
          sent,
        ),
      ).toBe(1);
      const error = { code: "21211", message: "Invalid 'To' Phone Number" };
      const failedEvent = spec(ch, hook, "message.failed");
      expect(
        await s.messages.recordSendOutcome(ko.id, { ok: false, error, at: at(2) }, failedEvent),
      ).toBe(1);
      expect(await s.messages.getMessage(co.id, ok.id)).toEqual({
        ...ok,
        status: "sent",
        providerMessageId: "SM1",
        history: [...ok.history, { status: "sent", at: at(2) }],
        updatedAt: at(2),
      });
      const failed = await s.messages.getMessage(co.id, ko.id);
      expect(failed).toMatchObject({
        status: "failed",
        error,
        credits: 0,
        providerMessageId: null,
      });
      expect(failed?.history.at(-1)).toEqual({ status: "failed", at: at(2), reason: "21211" });
      const [event] = await inspect.eventsOf(ko.id);
      expect(JSON.parse(event?.payload ?? "{}").data.message.error).toEqual({
        ...error,
        provider: "twilio",
      });
      expect(
        await s.messages.recordSendOutcome(
          "msg_unknown",
          { ok: true, providerMessageId: "X", at: at(2) },
          null,
        ),
      ).toBe(0);
    });

    test("updateMessageStatus() applies by the rule inside the write: backwards and after-failure reports are kept, not applied", async () => {
      const { co, ch, hook } = await seed();
      const m = sent(ch, "SM2");
      await s.messages.saveMessage(m, []);
      const go = (status: "delivered" | "read" | "failed", when: number) =>
        s.messages.updateMessageStatus(
          m.id,
          status === "failed"
            ? { status, at: at(when), reason: "30003" }
            : { status, at: at(when) },
          spec(ch, hook, `message.${status}`, at(when)),
        );
      expect(await go("read", 3)).toBe("applied");
      expect(await go("delivered", 4)).toBe("not_applied");
      // An SMS that was read did not fail.
      expect(await go("failed", 5)).toBe("not_applied");
      const stored = await s.messages.getMessage(co.id, m.id);
      expect(stored?.status).toBe("read");
      expect(shown(stored)).toEqual([
        "queued",
        "sent",
        "read",
        "delivered (not applied)",
        "failed (not applied)",
      ]);
      expect(stored?.updatedAt).toEqual(at(3));
      expect((await inspect.eventsOf(m.id)).map((e) => e.type)).toEqual(["message.read"]);
    });

    test("a failure after delivery applies on e-mail, with its error in the event", async () => {
      const { co, ch, hook } = await seed("email");
      const m = sent(ch, "em_1");
      await s.messages.saveMessage(m, []);
      await s.messages.updateMessageStatus(m.id, { status: "read", at: at(3) }, null);
      const report = {
        status: "failed" as const,
        at: at(4),
        reason: "bounced",
        error: { code: "bounced", message: "Mailbox full" },
      };
      expect(
        await s.messages.updateMessageStatus(m.id, report, spec(ch, hook, "message.failed", at(4))),
      ).toBe("applied");
      const stored = await s.messages.getMessage(co.id, m.id);
      expect(stored).toMatchObject({ status: "failed", error: report.error });
      const [event] = await inspect.eventsOf(m.id);
      expect(JSON.parse(event?.payload ?? "{}").data.message.error).toEqual({
        code: "bounced",
        message: "Mailbox full",
        provider: "twilio",
      });
    });

    test("reportStatus() has one effect per report key; another report of a status already applied is kept, not applied", async () => {
      const { co, ch, hook } = await seed();
      const m = sent(ch, "SM3");
      await s.messages.saveMessage(m, []);
      const { stores, close } = await bothStores();
      try {
        const outcomes = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            stores[i % 2]!.messages.reportStatus(
              providerReport(ch, hook, "SM3", "delivered", "evt-1"),
            ),
          ),
        );
        expect(outcomes.filter((o) => o === "applied")).toHaveLength(1);
        expect(outcomes.filter((o) => o === "duplicate")).toHaveLength(9);
      } finally {
        await close();
      }
      expect(
        await s.messages.reportStatus(providerReport(ch, hook, "SM3", "delivered", "evt-2")),
      ).toBe("not_applied");
      expect(shown(await s.messages.getMessage(co.id, m.id))).toEqual([
        "queued",
        "sent",
        "delivered",
        "delivered (not applied)",
      ]);
      expect((await inspect.eventsOf(m.id)).map((e) => e.type)).toEqual(["message.delivered"]);
    });

    test("a report that beats its message waits, then applies in the answer's write, after sent and at its time", async () => {
      const { co, ch, hook } = await seed();
      const m = queued(ch);
      await s.messages.saveMessage(m, []);
      expect(await s.messages.reportStatus(providerReport(ch, hook, "SM4", "read"))).toBe(
        "waiting",
      );
      expect(await s.messages.reportStatus(providerReport(ch, hook, "SM4", "delivered"))).toBe(
        "waiting",
      );
      expect(await s.messages.reportStatus(providerReport(ch, hook, "SM4", "read"))).toBe(
        "duplicate",
      );
      const written = await s.messages.recordSendOutcome(
        m.id,
        { ok: true, providerMessageId: "SM4", at: at(5) },
        spec(ch, hook, "message.sent", at(5)),
      );
      expect(written).toBe(2);
      const stored = await s.messages.getMessage(co.id, m.id);
      expect(stored?.status).toBe("read");
      expect(shown(stored)).toEqual(["queued", "sent", "read", "delivered (not applied)"]);
      expect(stored?.history.map((h) => h.at)).toEqual([at(1), at(5), at(5), at(5)]);
      const events = await inspect.eventsOf(m.id);
      expect(events.map((e) => e.type).sort()).toEqual(["message.read", "message.sent"]);
      // A report once applied does not wait any more: the same key is a duplicate.
      expect(await s.messages.reportStatus(providerReport(ch, hook, "SM4", "delivered"))).toBe(
        "duplicate",
      );
    });

    test("a report racing the answer to its send is never lost (50 races, two stores)", async () => {
      const { co, ch, hook } = await seed();
      const { stores, close } = await bothStores();
      try {
        const messages = Array.from({ length: 50 }, () => queued(ch));
        for (const m of messages) await s.messages.saveMessage(m, []);
        await Promise.all(
          messages.flatMap((m, i) => {
            const pmid = `SM-race-${i}`;
            const [mine, theirs] = i % 2 === 0 ? stores : [stores[1], stores[0]];
            return [
              mine.messages.recordSendOutcome(
                m.id,
                { ok: true, providerMessageId: pmid, at: at(2) },
                spec(ch, hook, "message.sent"),
              ),
              theirs.messages.reportStatus(providerReport(ch, hook, pmid, "delivered")),
            ];
          }),
        );
        for (const m of messages) {
          const stored = await s.messages.getMessage(co.id, m.id);
          expect({ id: m.id, history: shown(stored) }).toEqual({
            id: m.id,
            history: ["queued", "sent", "delivered"],
          });
          expect((await inspect.eventsOf(m.id)).map((e) => e.type).sort()).toEqual([
            "message.delivered",
            "message.sent",
          ]);
        }
      } finally {
        await close();
      }
    });

    test("delivered and read at once from two stores always end read, with no event below one emitted", async () => {
      const { co, ch, hook } = await seed();
      const { stores, close } = await bothStores();
      try {
        const messages = Array.from({ length: 10 }, (_, i) => sent(ch, `SM-both-${i}`));
        for (const m of messages) await s.messages.saveMessage(m, []);
        await Promise.all(
          messages.flatMap((m) => [
            stores[0].messages.reportStatus(
              providerReport(ch, hook, m.providerMessageId ?? "", "read"),
            ),
            stores[1].messages.reportStatus(
              providerReport(ch, hook, m.providerMessageId ?? "", "delivered"),
            ),
          ]),
        );
        for (const m of messages) {
          expect((await s.messages.getMessage(co.id, m.id))?.status).toBe("read");
          const events = await inspect.eventsOf(m.id);
          expect(events.filter((e) => e.type === "message.read")).toHaveLength(1);
          // A delivered event exists only if delivered applied first (then read saw it).
          const read = JSON.parse(events.find((e) => e.type === "message.read")!.payload);
          const deliveredFirst = read.data.message.history.some(
            (h: { status: string; applied?: false }) =>
              h.status === "delivered" && h.applied === undefined,
          );
          expect(events.some((e) => e.type === "message.delivered")).toBe(deliveredFirst);
        }
      } finally {
        await close();
      }
    });
  });
}
