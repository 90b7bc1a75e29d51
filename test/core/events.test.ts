import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import fc from "fast-check";
import type { Channel, Message, MessageStatus } from "../../core/domain.ts";
import {
  buildEventEnvelope,
  buildTestEnvelope,
  EVENT_TYPES,
  EventEnvelope,
  eventTypeForStatus,
} from "../../core/events.ts";
import { PublicMessage, publicMessage } from "../../core/public_message.ts";
import { channelWithMessageArb } from "../arbitraries/events_arbs.ts";

const channel: Channel = {
  id: "ch_1",
  companyId: "co_1",
  type: "whatsapp",
  provider: "meta",
  name: "Sales",
  address: "+5511999990000",
  config: { accessToken: "EAAG-super-secret", appSecret: "app-secret-value" },
  credits: 10,
  createdAt: new Date("2025-01-01T00:00:00Z"),
  deletedAt: null,
};

function message(overrides: Partial<Message> = {}): Message {
  return {
    id: "msg_1",
    companyId: "co_1",
    channelId: "ch_1",
    channelType: "whatsapp",
    direction: "outbound",
    integrationId: "int_1",
    status: "sent",
    provider: "meta",
    providerMessageId: "wamid.1",
    to: ["5511988887777"],
    from: "+5511999990000",
    payload: {
      number: "5511988887777",
      message: "Hello!",
      url: "https://landing.com/?utm_source=meta&utm_campaign=spring&utm_source=other&ref=x",
      sector: "12",
    },
    segments: null,
    credits: 1,
    error: null,
    history: [
      { status: "queued", at: new Date("2025-06-01T12:00:00Z") },
      { status: "sent", at: new Date("2025-06-01T12:00:01Z") },
    ],
    createdAt: new Date("2025-06-01T12:00:00Z"),
    updatedAt: new Date("2025-06-01T12:00:01Z"),
    ...overrides,
  };
}

describe("EVENT_TYPES", () => {
  test("lists docs/api.md#webhooks's event types", () => {
    expect(EVENT_TYPES).toEqual([
      "message.received",
      "message.sent",
      "message.delivered",
      "message.read",
      "message.failed",
      "recipient.suppressed",
      "recipient.unsuppressed",
      "integration.test",
    ]);
  });
});

describe("eventTypeForStatus()", () => {
  test("announces every status but queued", () => {
    const table: Record<MessageStatus, string | null> = {
      queued: null,
      received: "message.received",
      sent: "message.sent",
      delivered: "message.delivered",
      read: "message.read",
      failed: "message.failed",
    };
    for (const [status, type] of Object.entries(table)) {
      expect(eventTypeForStatus(status as MessageStatus)).toBe(type as never);
    }
  });
});

describe("publicMessage()", () => {
  test("shows a WhatsApp message with its sector and UTM parameters", () => {
    expect(publicMessage(message())).toEqual({
      id: "msg_1",
      direction: "outbound",
      status: "sent",
      channel: { id: "ch_1", type: "whatsapp" },
      provider: "meta",
      providerMessageId: "wamid.1",
      to: ["5511988887777"],
      from: "+5511999990000",
      payload: {
        message: "Hello!",
        url: "https://landing.com/?utm_source=meta&utm_campaign=spring&utm_source=other&ref=x",
        utm: { utm_source: "meta", utm_campaign: "spring" },
        sector: "12",
      },
      segments: null,
      error: null,
      history: [
        { status: "queued", at: "2025-06-01T12:00:00.000Z" },
        { status: "sent", at: "2025-06-01T12:00:01.000Z" },
      ],
      createdAt: "2025-06-01T12:00:00.000Z",
      updatedAt: "2025-06-01T12:00:01.000Z",
    });
  });

  test("gives an empty utm for a URL without UTM parameters, and none without a URL", () => {
    const plain = publicMessage(message({ payload: { message: "Hi", url: "https://x.test/" } }));
    expect(plain.payload.utm).toEqual({});
    expect("utm" in publicMessage(message({ payload: { message: "Hi" } })).payload).toBe(false);
    const odd = publicMessage(message({ payload: { message: "Hi", url: "not a url" } }));
    expect(odd.payload).toEqual({ message: "Hi", url: "not a url", utm: {} });
  });

  test("keeps an SMS message's metadata and media, and its segments", () => {
    const sms = message({
      channelType: "sms",
      provider: "twilio",
      segments: 2,
      payload: {
        to: "+15550001111",
        body: "Your code is 1234",
        mediaUrls: ["https://cdn.test/a.png"],
        metadata: { orderId: 42, tags: ["a"] },
        sector: "ignored on sms",
      },
    });
    const shown = publicMessage(sms);
    expect(shown.payload).toEqual({
      body: "Your code is 1234",
      mediaUrls: ["https://cdn.test/a.png"],
      metadata: { orderId: 42, tags: ["a"] },
    });
    expect(shown.segments).toBe(2);
  });

  test("shows an email's content, with single recipients and references as lists", () => {
    const email = message({
      channelType: "email",
      provider: "resend",
      payload: {
        to: "a@b.test",
        subject: "Hi",
        html: "<p>Hi</p>",
        text: "Hi",
        bcc: "audit@b.test",
        fromName: "Acme",
        inReplyTo: "<1@b.test>",
        references: "<0@b.test>",
      },
    });
    expect(publicMessage(email).payload).toEqual({
      text: "Hi",
      subject: "Hi",
      html: "<p>Hi</p>",
      fromName: "Acme",
      inReplyTo: "<1@b.test>",
      bcc: ["audit@b.test"],
      references: ["<0@b.test>"],
    });
  });

  test("drops unknown and wrongly typed payload fields", () => {
    const shown = publicMessage(
      message({
        payload: {
          message: "Hi",
          name: 42,
          files: ["https://x.test/a", 7],
          apiKey: "sk_leak",
          metadata: { a: 1 },
        },
      }),
    );
    expect(shown.payload).toEqual({ message: "Hi" });
  });

  test("keeps a failure's error with the provider that reported it, and the reason of a status change", () => {
    const failed = publicMessage(
      message({
        status: "failed",
        provider: "meta",
        error: { code: "131026", message: "Message undeliverable" },
        history: [
          { status: "failed", at: new Date(0), reason: "131026" },
          { status: "delivered", at: new Date(1), applied: false },
        ],
      }),
    );
    expect(failed.error).toEqual({
      code: "131026",
      message: "Message undeliverable",
      provider: "meta",
    });
    expect(failed.history).toEqual([
      { status: "failed", at: "1970-01-01T00:00:00.000Z", reason: "131026" },
      { status: "delivered", at: "1970-01-01T00:00:00.001Z", applied: false },
    ]);
  });

  test("always satisfies the PublicMessage schema and survives JSON", () => {
    fc.assert(
      fc.property(channelWithMessageArb, ({ message: m }) => {
        const shown = publicMessage(m);
        expect(Value.Errors(PublicMessage, shown).First()).toBeUndefined();
        expect(JSON.parse(JSON.stringify(shown))).toEqual(shown);
        expect(Object.keys(shown)).not.toContain("companyId");
        expect(Object.keys(shown)).not.toContain("credits");
      }),
      { numRuns: 300 },
    );
  });
});

describe("buildEventEnvelope()", () => {
  test("wraps a message in docs/api.md#webhooks's envelope", () => {
    const shown = publicMessage(message());
    const envelope = buildEventEnvelope("message.sent", {
      id: "evt_1",
      createdAt: Date.parse("2025-06-01T12:00:02Z"),
      channel,
      data: { message: shown },
    });
    expect(envelope).toEqual({
      id: "evt_1",
      type: "message.sent",
      createdAt: "2025-06-01T12:00:02.000Z",
      companyId: "co_1",
      channel: { id: "ch_1", type: "whatsapp", name: "Sales", address: "+5511999990000" },
      data: { message: shown },
    });
    expect(Value.Check(EventEnvelope, envelope)).toBe(true);
  });

  test("carries test data for integration.test", () => {
    const envelope = buildEventEnvelope("integration.test", {
      id: "evt_2",
      createdAt: 0,
      channel,
      data: { test: { integrationId: "int_9", description: "Test event from Sendeasy." } },
    });
    expect(envelope.data).toEqual({
      test: { integrationId: "int_9", description: "Test event from Sendeasy." },
    });
    expect(Value.Check(EventEnvelope, envelope)).toBe(true);
  });

  test("refuses data that does not fit the event type", () => {
    expect(() =>
      buildEventEnvelope("message.sent", { id: "evt_3", createdAt: 0, channel, data: {} }),
    ).toThrow(/needs data\.message/);
    expect(() =>
      buildEventEnvelope("integration.test", {
        id: "evt_4",
        createdAt: 0,
        channel,
        data: { message: publicMessage(message()) },
      }),
    ).toThrow(/needs data\.test/);
  });

  test("refuses a message of another channel", () => {
    const elsewhere = publicMessage(message({ channelId: "ch_2" }));
    expect(() =>
      buildEventEnvelope("message.sent", {
        id: "evt_5",
        createdAt: 0,
        channel,
        data: { message: elsewhere },
      }),
    ).toThrow(/is not on channel "ch_1"/);
  });

  test("the schema rejects envelopes that break the contract", () => {
    const good = buildEventEnvelope("message.sent", {
      id: "evt_6",
      createdAt: 0,
      channel,
      data: { message: publicMessage(message()) },
    });
    expect(Value.Check(EventEnvelope, { ...good, id: "msg_6" })).toBe(false);
    expect(Value.Check(EventEnvelope, { ...good, createdAt: "yesterday" })).toBe(false);
    expect(Value.Check(EventEnvelope, { ...good, type: "message.bounced" })).toBe(false);
    expect(
      Value.Check(EventEnvelope, { ...good, channel: { ...good.channel, config: channel.config } }),
    ).toBe(false);
  });

  test("for any channel and message: matches its schema, survives JSON, leaks no config secret", () => {
    fc.assert(
      fc.property(
        channelWithMessageArb,
        fc.constantFrom(...EVENT_TYPES.filter((type) => type.startsWith("message."))),
        fc.integer({ min: 0, max: Date.UTC(2100, 0, 1) }),
        ({ channel: ch, message: m }, type, createdAt) => {
          const envelope = buildEventEnvelope(type, {
            id: "evt_01J0000000000000000000000",
            createdAt,
            channel: ch,
            data: { message: publicMessage(m) },
          });
          expect(Value.Errors(EventEnvelope, envelope).First()).toBeUndefined();
          const json = JSON.stringify(envelope);
          expect(JSON.parse(json)).toEqual(envelope);
          expect(Object.keys(envelope.channel ?? {}).sort()).toEqual([
            "address",
            "id",
            "name",
            "type",
          ]);
          expect(envelope.companyId).toBe(ch.companyId);
          for (const secret of Object.values(ch.config)) expect(json).not.toContain(secret);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("buildTestEnvelope()", () => {
  test("a test event for a general webhook has no channel, and one for a channel webhook names it", () => {
    const general = buildTestEnvelope({
      id: "evt_01J0000000000000000000000",
      createdAt: 0,
      companyId: "co_A",
      channel: null,
      integrationId: "int_1",
    });
    expect(Value.Errors(EventEnvelope, general).First()).toBeUndefined();
    expect(general).toMatchObject({
      type: "integration.test",
      channel: null,
      companyId: "co_A",
      data: { test: { integrationId: "int_1" } },
    });
    const channel = {
      id: "ch_1",
      companyId: "co_A",
      type: "sms" as const,
      provider: "sandbox" as const,
      name: "SMS",
      address: "+5511933334444",
      config: { secret: "s3cr3t-value" },
      credits: null,
      createdAt: new Date(0),
      deletedAt: null,
    };
    const scoped = buildTestEnvelope({
      id: "evt_01J0000000000000000000001",
      createdAt: 0,
      companyId: "co_A",
      channel,
      integrationId: "int_2",
    });
    expect(Value.Errors(EventEnvelope, scoped).First()).toBeUndefined();
    expect(scoped.channel).toEqual({
      id: "ch_1",
      type: "sms",
      name: "SMS",
      address: "+5511933334444",
    });
    expect(JSON.stringify(scoped)).not.toContain("s3cr3t-value");
  });
});
