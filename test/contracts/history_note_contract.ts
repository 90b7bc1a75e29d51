/**
 * The contract of `MessageStore.noteMessageHistory()` on every backend: a provider's note joins
 * the history once, changes no status and writes no event.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Message } from "../../core/domain.ts";
import { at, channel, company, nextId } from "../support/delivery_fixtures.ts";
import type { StoreHarness } from "./store_contract.ts";

export function runHistoryNoteContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`${name} history notes`, () => {
    let harness: StoreHarness;
    let sent: Message;

    beforeEach(async () => {
      harness = await makeStore();
      const co = company();
      await harness.store.companies.createCompany(co);
      const ch = channel(co.id);
      await harness.store.channels.createChannel(ch);
      sent = {
        id: nextId("msg"),
        companyId: co.id,
        channelId: ch.id,
        channelType: "sms",
        direction: "outbound",
        integrationId: null,
        status: "sent",
        provider: "sandbox",
        providerMessageId: nextId("sbx"),
        to: ["+15551234567"],
        from: ch.address,
        payload: { to: "+15551234567", body: "hi" },
        segments: 1,
        credits: 1,
        error: null,
        history: [{ status: "sent", at: at(1) }],
        createdAt: at(1),
        updatedAt: at(1),
      };
      await harness.store.messages.saveMessage(sent, []);
    });
    afterEach(() => harness.cleanup());

    test("a note is kept once under the current status, with no event", async () => {
      const note = { at: at(5), reason: "delivery_delayed" };
      const results = await Promise.all(
        [1, 2, 3].map(() => harness.store.messages.noteMessageHistory(sent.id, note)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      const stored = await harness.store.messages.getMessage(sent.companyId, sent.id);
      expect(stored?.status).toBe("sent");
      expect(stored?.history).toEqual([
        { status: "sent", at: at(1) },
        { status: "sent", at: at(5), reason: "delivery_delayed" },
      ]);
      expect(await harness.inspect.count("events")).toBe(0);
      expect(await harness.store.messages.noteMessageHistory("msg_unknown", note)).toBe(false);
    });
  });
}
