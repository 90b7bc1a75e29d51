/**
 * Events and their envelope (docs/api.md#webhooks): what a webhook receives.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate } from "./_iso_date.ts";
import { CHANNEL_TYPES, type Channel, type EventType, type MessageStatus } from "./domain.ts";
import { PublicMessage } from "./public_message.ts";
import { PublicSuppression } from "./public_suppression.ts";

/**
 * Every event type, in the order of docs/api.md#webhooks. `integration.test` goes only to the webhook being
 * tested; the others fan out by the union rule.
 *
 * @example
 * ```ts
 * EVENT_TYPES.includes("message.read"); // true
 * ```
 */
export const EVENT_TYPES: readonly EventType[] = Object.keys({
  "message.received": true,
  "message.sent": true,
  "message.delivered": true,
  "message.read": true,
  "message.failed": true,
  "recipient.suppressed": true,
  "recipient.unsuppressed": true,
  "integration.test": true,
} satisfies Record<EventType, true>) as EventType[];

/**
 * The `data.test` of an `integration.test` event.
 *
 * @example
 * ```ts
 * const test: TestEventData = { integrationId: "int_…", description: "Test event from Sendeasy." };
 * ```
 */
export const TestEventData = Type.Object(
  { integrationId: Type.String(), description: Type.String() },
  { additionalProperties: false },
);
export type TestEventData = Static<typeof TestEventData>;

/**
 * The body of every webhook delivery (docs/api.md#webhooks).
 *
 * @example
 * ```ts
 * import { Value } from "@sinclair/typebox/value";
 *
 * const body = JSON.stringify(
 *   buildTestEnvelope({ id: "evt_1", createdAt: 0, companyId: "co_1", channel: null, integrationId: "int_1" }),
 * );
 * Value.Check(EventEnvelope, JSON.parse(body)); // true
 * ```
 */
export const EventEnvelope = Type.Object(
  {
    id: Type.String({ pattern: "^evt_" }),
    type: Type.Union(EVENT_TYPES.map((type) => Type.Literal(type))),
    createdAt: IsoDate,
    companyId: Type.String(),
    // `null` when no channel is involved: an `integration.test` sent to a general webhook, or a
    // `recipient.*` event caused through the admin API.
    channel: Type.Union([
      Type.Object(
        {
          id: Type.String(),
          type: Type.Union(CHANNEL_TYPES.map((type) => Type.Literal(type))),
          name: Type.String(),
          address: Type.String(),
        },
        { additionalProperties: false },
      ),
      Type.Null(),
    ]),
    data: Type.Object(
      {
        message: Type.Optional(PublicMessage),
        suppression: Type.Optional(PublicSuppression),
        test: Type.Optional(TestEventData),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type EventEnvelope = Static<typeof EventEnvelope>;

/**
 * What an event needs to know of its channel: never the `config` (provider secrets), so the
 * value can travel (to a writer thread, into a log) without them.
 */
export type EventChannel = Pick<Channel, "id" | "companyId" | "type" | "name" | "address">;

/**
 * Builds the envelope of an event. The channel is shown as id, type, name and address only,
 * never its `config`.
 *
 * @param type The event type.
 * @param options.id The event id (`evt_…`), also the `webhook-id` of its deliveries.
 * @param options.createdAt Milliseconds since the Unix epoch.
 * @param options.channel The channel the event happened on.
 * @param options.data `message` (from {@link publicMessage}) for `message.*` events, `test` for
 *   `integration.test`.
 * @returns The envelope, ready for `JSON.stringify`.
 * @throws {Error} When the data does not fit the type, or the message is of another channel (bugs).
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 * import { publicMessage } from "./public_message.ts";
 *
 * declare const message: Message; // a stored message of channel ch_1
 * const envelope = buildEventEnvelope("message.sent", {
 *   id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN",
 *   createdAt: Date.parse("2025-06-01T12:00:00Z"),
 *   channel: { id: "ch_1", companyId: "co_1", type: "sms", name: "Alerts", address: "+5511999999999" },
 *   data: { message: publicMessage(message) },
 * });
 * envelope.createdAt; // "2025-06-01T12:00:00.000Z"
 * ```
 */
export function buildEventEnvelope(
  type: EventType,
  options: { id: string; createdAt: number; channel: EventChannel; data: EventEnvelope["data"] },
): EventEnvelope {
  const { id, channel } = options;
  const { message, suppression, test } = options.data;
  const needs =
    type === "integration.test"
      ? "test"
      : type.startsWith("recipient.")
        ? "suppression"
        : "message";
  if (options.data[needs] === undefined) {
    throw new Error(`Cannot build event "${id}": a ${type} event needs data.${needs}`);
  }
  if (message !== undefined && message.channel.id !== channel.id) {
    throw new Error(
      `Cannot build event "${id}": message "${message.id}" is not on channel "${channel.id}"`,
    );
  }
  return {
    id,
    type,
    createdAt: new Date(options.createdAt).toISOString(),
    companyId: channel.companyId,
    channel: { id: channel.id, type: channel.type, name: channel.name, address: channel.address },
    data: {
      ...(message === undefined ? {} : { message }),
      ...(suppression === undefined ? {} : { suppression }),
      ...(test === undefined ? {} : { test }),
    },
  };
}

/**
 * The `integration.test` envelope sent to one webhook (docs/api.md#admin-api `POST /integrations/:id/test`).
 *
 * @param options.channel the webhook's channel for a channel-scoped webhook, `null` for a general one
 * @returns The envelope, ready for `JSON.stringify`.
 *
 * @example
 * ```ts
 * const envelope = buildTestEnvelope({
 *   id: "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN",
 *   createdAt: 0,
 *   companyId: "co_1",
 *   channel: null,
 *   integrationId: "int_1",
 * });
 * envelope.data.test?.integrationId; // "int_1"
 * ```
 */
export function buildTestEnvelope(options: {
  id: string;
  createdAt: number;
  companyId: string;
  channel: Channel | null;
  integrationId: string;
}): EventEnvelope {
  const { channel } = options;
  return {
    id: options.id,
    type: "integration.test",
    createdAt: new Date(options.createdAt).toISOString(),
    companyId: options.companyId,
    channel:
      channel === null
        ? null
        : { id: channel.id, type: channel.type, name: channel.name, address: channel.address },
    data: {
      test: {
        integrationId: options.integrationId,
        description: "Test event from Sendeasy: your webhook is reachable.",
      },
    },
  };
}

/**
 * The event a message status change announces.
 *
 * @param status The message's new status.
 * @returns The event type, or `null` for `queued` (nothing to announce yet).
 *
 * @example
 * ```ts
 * eventTypeForStatus("delivered"); // "message.delivered"
 * eventTypeForStatus("queued"); // null
 * ```
 */
export function eventTypeForStatus(status: MessageStatus): EventType | null {
  switch (status) {
    case "queued":
      return null;
    case "received":
      return "message.received";
    case "sent":
      return "message.sent";
    case "delivered":
      return "message.delivered";
    case "read":
      return "message.read";
    case "failed":
      return "message.failed";
  }
}
