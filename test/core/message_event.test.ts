import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { EventType } from "../../core/domain.ts";
import { buildEventEnvelope, EVENT_TYPES } from "../../core/events.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../core/message_event.ts";
import { publicMessage } from "../../core/public_message.ts";
import { channelWithMessageArb } from "../arbitraries/events_arbs.ts";

const messageTypeArb: fc.Arbitrary<EventType> = fc.constantFrom(
  ...EVENT_TYPES.filter((type) => type.startsWith("message.")),
);
const deliveriesArb = fc.array(
  fc.tuple(fc.stringMatching(/^dlv_[0-9A-Z]{6}$/), fc.stringMatching(/^int_[0-9A-Z]{6}$/)),
  { maxLength: 4 },
);

describe("buildMessageEvent()", () => {
  test("for any message, its payload is the JSON of the envelope built from the channel, byte for byte, dated no earlier than the message's last change", () => {
    fc.assert(
      fc.property(
        channelWithMessageArb,
        messageTypeArb,
        fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
        deliveriesArb,
        ({ channel, message }, type, createdAt, deliveries) => {
          const spec: MessageEventSpec = {
            type,
            id: "evt_01J0000000000000000000000",
            createdAt: new Date(createdAt),
            channel: {
              id: channel.id,
              companyId: channel.companyId,
              type: channel.type,
              name: channel.name,
              address: channel.address,
            },
            deliveries,
          };
          const built = buildMessageEvent(message, spec);
          // Never dated before the change it reports.
          const dated = Math.max(createdAt, message.updatedAt.getTime());
          // The construction the services used before the spec existed: the whole channel in.
          const before = JSON.stringify(
            buildEventEnvelope(type, {
              id: spec.id,
              createdAt: dated,
              channel,
              data: { message: publicMessage(message) },
            }),
          );
          expect(built.event.payload).toBe(before);
          expect(built.event).toEqual({
            id: spec.id,
            companyId: message.companyId,
            channelId: channel.id,
            type,
            messageId: message.id,
            payload: before,
            createdAt: new Date(dated),
          });
          expect(built.deliveries).toEqual(deliveries);
          // A spec survives a structured clone (the trip to the writer thread) unchanged.
          expect(buildMessageEvent(message, structuredClone(spec))).toEqual(built);
          for (const secret of Object.values(channel.config)) {
            expect(built.event.payload).not.toContain(secret);
          }
        },
      ),
      { numRuns: 200 },
    );
  }, 30_000);

  test("an event spec of another channel is a bug: it throws", () => {
    fc.assert(
      fc.property(channelWithMessageArb, ({ channel, message }) => {
        const spec: MessageEventSpec = {
          type: "message.delivered",
          id: "evt_1",
          createdAt: new Date(0),
          channel: { ...channel, id: `${channel.id}_other` },
          deliveries: [],
        };
        expect(() => buildMessageEvent(message, spec)).toThrow(/is not on channel/);
      }),
      { numRuns: 50 },
    );
  });
});
