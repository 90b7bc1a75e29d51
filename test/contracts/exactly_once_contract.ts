/**
 * The writes that must happen once, run against every store: an inbound message per provider
 * id however many copies of its callback arrive, the first start's defaults however many
 * instances start, the sandbox's owed reports listed from the rows, and the change counters
 * every instance polls. Races use two stores on one database where the adapter can open one.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { Channel, Message } from "../../core/domain.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { at, nextId } from "../support/delivery_fixtures.ts";
import {
  inbound,
  type MessageStateHarness,
  queued,
  received,
  remoteChannel,
  seedCompany,
  twoStores,
} from "./_message_state_fixtures.ts";
import type { StoreInspector } from "./store_contract.ts";

/**
 * Registers the contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runExactlyOnceContract(
  name: string,
  makeStore: () => Promise<MessageStateHarness>,
): void {
  describe(`${name} exactly-once contract`, () => {
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

    test("receiveMessage() stores one inbound message per provider id, whatever the copies (two stores)", async () => {
      const { co, ch, hook } = await seed();
      const { stores, close } = await bothStores();
      let results: boolean[];
      try {
        const copies = Array.from({ length: 10 }, () => inbound(ch, "SM-in-1"));
        results = await Promise.all(
          copies.map((m, i) => stores[i % 2]!.messages.receiveMessage(m, [received(m, hook)])),
        );
      } finally {
        await close();
      }
      expect(results.filter(Boolean)).toHaveLength(1);
      const page = await s.messages.listMessages(co.id, { limit: 20 });
      expect(page.data).toHaveLength(1);
      expect(await inspect.count("events")).toBe(1);
      expect(await inspect.count("deliveries")).toBe(1);
      // No provider id (the sandbox's simulated inbound), or an outbound message with that id:
      // no conflict.
      expect(await s.messages.receiveMessage(inbound(ch, null), [])).toBe(true);
      expect(await s.messages.receiveMessage(inbound(ch, null), [])).toBe(true);
      await s.messages.saveMessage({ ...queued(ch), providerMessageId: "SM-in-2" }, []);
      expect(await s.messages.receiveMessage(inbound(ch, "SM-in-2"), [])).toBe(true);
    });

    test("listAwaitingSandboxReport() lists sandbox messages still sent, created by the time given, oldest first", async () => {
      const { co } = await seed();
      const sandbox: Channel = { ...remoteChannel(co.id), provider: "sandbox", config: {} };
      await s.channels.createChannel(sandbox);
      const make = (seconds: number, status: Message["status"]) => ({
        ...queued(sandbox),
        status,
        providerMessageId: `sbx_${seconds}`,
        createdAt: at(seconds),
      });
      const owed = [make(12, "sent"), make(10, "sent"), make(11, "sent")];
      for (const m of [...owed, make(9, "delivered"), make(13, "sent")]) {
        await s.messages.saveMessage(m, []);
      }
      // A remote provider's `sent` message owes nothing.
      const remote = remoteChannel(co.id);
      await s.channels.createChannel(remote);
      await s.messages.saveMessage({ ...queued(remote), status: "sent", createdAt: at(1) }, []);
      const listed = await s.messages.listAwaitingSandboxReport(at(12), 10);
      expect(listed.map((m) => m.id)).toEqual([owed[1]!.id, owed[2]!.id, owed[0]!.id]);
      expect((await s.messages.listAwaitingSandboxReport(at(12), 2)).length).toBe(2);
    });

    test("ensureDefaults() from two stores at once makes one default company and one operator key", async () => {
      const { stores, close } = await bothStores();
      try {
        const key = (n: number) => ({
          id: nextId("key"),
          companyId: null,
          hash: n.toString(16).padStart(64, "0"),
          createdAt: at(0),
          revokedAt: null,
        });
        const results = await Promise.all(
          Array.from({ length: 6 }, (_, i) =>
            stores[i % 2]!.companies.ensureDefaults(
              { id: nextId("co"), name: "Default", createdAt: at(0) },
              key(i + 1),
            ),
          ),
        );
        expect(new Set(results.map((r) => r.company.id)).size).toBe(1);
        expect(results.filter((r) => r.operatorKeyCreated)).toHaveLength(1);
        expect((await s.companies.listCompanies({ limit: 10 })).data).toHaveLength(1);
        const again = await s.companies.ensureDefaults(
          { id: nextId("co"), name: "Default", createdAt: at(1) },
          null,
        );
        expect(again).toEqual({ company: results[0]!.company, operatorKeyCreated: false });
      } finally {
        await close();
      }
    });

    test("change counters start at 0 and count every bump, seen by a second store", async () => {
      const { stores, close } = await bothStores();
      try {
        expect(await s.generations.read("webhooks")).toBe(0);
        await Promise.all([s.generations.bump("webhooks"), stores[1].generations.bump("webhooks")]);
        await s.generations.bump("other");
        expect(await stores[1].generations.read("webhooks")).toBe(2);
        expect(await s.generations.read("other")).toBe(1);
      } finally {
        await close();
      }
    });
  });
}
