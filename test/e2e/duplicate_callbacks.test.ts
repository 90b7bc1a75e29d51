/**
 * A provider that posts the same signed callback ten times at once (as their retries can):
 * one inbound message and one `message.received`, or one status change and one event,
 * whatever the timing — the database decides, on SQLite and on Postgres.
 */
import { describe, expect, test } from "bun:test";
import { backends, eventsByMessage, messagesOf } from "../support/backends.ts";
import {
  type Callback,
  metaInbound,
  post,
  RESEND,
  resendCallback,
  resendEvent,
  twilioInbound,
} from "./_callbacks.ts";
import { type ProviderChannel, useProviderServer } from "./_provider_channels.ts";

const COPIES = 10;

/** The inbound callback of each provider for a new provider message id. */
function inbound(ch: ProviderChannel, n: number): Callback {
  switch (ch.provider) {
    case "twilio":
      return twilioInbound(ch.id, `SM${String(n).padStart(32, "0")}`);
    case "resend":
      return resendCallback(
        ch.id,
        resendEvent("email.received", `b1c2d3e4-0000-4000-8000-${String(n).padStart(12, "0")}`, {
          from: "Ana <ana@customer.example>",
          to: [RESEND.address],
          subject: "Where is my order?",
        }),
        `msg_inbound_${n}`,
      );
    case "meta":
      return metaInbound(ch.id, `wamid.INBOUND${String(n).padStart(8, "0")}`);
  }
}

for (const backend of await backends()) {
  describe(`the same callback ${COPIES} times at once, on ${backend.name}`, () => {
    const suite = useProviderServer(backend);
    const server = () => suite().t;

    for (const provider of ["twilio", "resend", "meta"] as const) {
      const ch = () => suite().channel(provider);

      test(`${provider}: an inbound message is stored once, with one message.received`, async () => {
        for (let round = 0; round < 3; round++) {
          const before = (await messagesOf(server(), ch().id)).length;
          const callback = inbound(ch(), round);
          const statuses = await Promise.all(
            Array.from({ length: COPIES }, () => post(server().url, callback)),
          );
          expect(statuses).toEqual(Array(COPIES).fill(200));
          const messages = await messagesOf(server(), ch().id);
          expect(messages.length).toBe(before + 1);
          const received = messages[0];
          expect(received.direction).toBe("inbound");
          const events = (await eventsByMessage(server(), ch().id)).get(received.id) ?? [];
          expect(events.map((e) => e.type)).toEqual(["message.received"]);
        }
      });

      test(`${provider}: a status callback applies once, with one event`, async () => {
        const sent = (await server().send(ch().token, ch().body())).body;
        const callback = ch().report(sent.providerMessageId, "delivered");
        const statuses = await Promise.all(
          Array.from({ length: COPIES }, () => post(server().url, callback)),
        );
        expect(statuses).toEqual(Array(COPIES).fill(200));
        const stored = (await server().admin("GET", `/messages/${sent.id}`)).body;
        expect(stored.status).toBe("delivered");
        expect(
          stored.history.filter((h: { status: string }) => h.status === "delivered"),
        ).toHaveLength(1);
        const events = (await eventsByMessage(server(), ch().id)).get(sent.id) ?? [];
        expect(events.map((e) => e.type)).toEqual(["message.sent", "message.delivered"]);
      });
    }
  });
}
