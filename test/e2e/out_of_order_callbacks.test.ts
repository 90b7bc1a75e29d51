/**
 * Provider callbacks in every order, one after the other and at the same moment, for Twilio,
 * Resend and Meta on SQLite and Postgres: statuses only move forward, a late or backwards
 * report is kept in the history as not applied and emits nothing, and `message.failed`
 * carries the provider's error.
 */
import { describe, expect, test } from "bun:test";
import { backends, eventsByMessage } from "../support/backends.ts";
import { post } from "./_callbacks.ts";
import { type ProviderChannel, type Reported, useProviderServer } from "./_provider_channels.ts";

const RANK: Record<string, number> = {
  "message.sent": 1,
  "message.delivered": 2,
  "message.read": 3,
  "message.failed": 4,
};

for (const backend of await backends()) {
  describe(`callbacks out of order, on ${backend.name}`, () => {
    const suite = useProviderServer(backend);
    const server = () => suite().t;

    async function send(ch: ProviderChannel): Promise<{ id: string; providerMessageId: string }> {
      const res = await server().send(ch.token, ch.body());
      expect(res.status).toBe(200);
      return res.body;
    }

    async function report(ch: ProviderChannel, pmid: string, status: Reported): Promise<void> {
      expect(await post(server().url, ch.report(pmid, status))).toBe(200);
    }

    const stored = async (id: string) => (await server().admin("GET", `/messages/${id}`)).body;
    const history = async (id: string) =>
      (await stored(id)).history.map((h: { status: string; applied?: false }) =>
        h.applied === false ? `${h.status} (not applied)` : h.status,
      );
    const eventTypes = async (ch: ProviderChannel, id: string) =>
      ((await eventsByMessage(server(), ch.id)).get(id) ?? []).map((e) => e.type);

    for (const provider of ["twilio", "resend", "meta"] as const) {
      const ch = () => suite().channel(provider);

      test(`${provider}: read before delivered ends read; the late delivered is kept, not applied`, async () => {
        const sent = await send(ch());
        await report(ch(), sent.providerMessageId, "read");
        await report(ch(), sent.providerMessageId, "delivered");
        expect((await stored(sent.id)).status).toBe("read");
        expect(await history(sent.id)).toEqual([
          "queued",
          "sent",
          "read",
          "delivered (not applied)",
        ]);
        expect(await eventTypes(ch(), sent.id)).toEqual(["message.sent", "message.read"]);
      });

      test(`${provider}: delivered and read at the same moment always end read`, async () => {
        const sends = await Promise.all(Array.from({ length: 6 }, () => send(ch())));
        await Promise.all(
          sends.flatMap((sent) =>
            (["delivered", "read", "delivered", "read"] as const).map((status) =>
              report(ch(), sent.providerMessageId, status),
            ),
          ),
        );
        const events = await eventsByMessage(server(), ch().id);
        for (const sent of sends) {
          expect({ id: sent.id, status: (await stored(sent.id)).status }).toEqual({
            id: sent.id,
            status: "read",
          });
          // Never an event for a status below one already emitted. Events were emitted in the
          // order their message changed: each shows the message with one more applied change.
          const emitted = [...(events.get(sent.id) ?? [])].sort(
            (a, b) =>
              a.envelope.data.message.history.length - b.envelope.data.message.history.length,
          );
          const ranks = emitted.map((e) => RANK[e.type] ?? 0);
          expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
          expect(new Set(ranks).size).toBe(ranks.length);
          expect(ranks.at(-1)).toBe(RANK["message.read"]);
          // …and dated in that order.
          const dates = emitted.map((e) => Date.parse(e.envelope.createdAt));
          expect(dates).toEqual([...dates].sort((a, b) => a - b));
        }
      });

      test(`${provider}: nothing follows a failure, and message.failed carries the provider's error`, async () => {
        const sent = await send(ch());
        await report(ch(), sent.providerMessageId, "failed");
        await report(ch(), sent.providerMessageId, "delivered");
        await report(ch(), sent.providerMessageId, "read");
        const message = await stored(sent.id);
        expect(message.status).toBe("failed");
        expect(message.error).toMatchObject({ provider });
        expect(typeof message.error.code).toBe("string");
        expect(typeof message.error.message).toBe("string");
        expect(await history(sent.id)).toEqual([
          "queued",
          "sent",
          "failed",
          "delivered (not applied)",
          "read (not applied)",
        ]);
        const events = (await eventsByMessage(server(), ch().id)).get(sent.id) ?? [];
        expect(events.map((e) => e.type)).toEqual(["message.sent", "message.failed"]);
        expect(events[1]?.envelope.data.message.error).toEqual(message.error);
      });

      test(`${provider}: a failure after delivery applies on e-mail only`, async () => {
        const sent = await send(ch());
        await report(ch(), sent.providerMessageId, "delivered");
        await report(ch(), sent.providerMessageId, "read");
        await report(ch(), sent.providerMessageId, "failed");
        const email = ch().type === "email";
        expect((await stored(sent.id)).status).toBe(email ? "failed" : "read");
        expect((await history(sent.id)).at(-1)).toBe(email ? "failed" : "failed (not applied)");
        expect(await eventTypes(ch(), sent.id)).toEqual(
          email
            ? ["message.sent", "message.delivered", "message.read", "message.failed"]
            : ["message.sent", "message.delivered", "message.read"],
        );
      });
    }
  });
}
