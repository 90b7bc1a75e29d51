import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import type { Suppression } from "../../core/domain.ts";
import { EventEnvelope } from "../../core/events.ts";
import { PublicSuppression, publicSuppression } from "../../core/public_suppression.ts";
import { buildSuppressionEvent, type SuppressionEventSpec } from "../../core/suppression_event.ts";

const suppression: Suppression = {
  id: "sup_01J00000000000000000000000",
  companyId: "co_1",
  channelType: "sms",
  address: "+5511999999999",
  reason: "stop",
  messageId: "msg_01J00000000000000000000000",
  createdAt: new Date("2026-06-01T12:00:00.000Z"),
};
const channel = {
  id: "ch_1",
  companyId: "co_1",
  type: "sms" as const,
  name: "SMS",
  address: "+5511933334444",
};

function spec(overrides: Partial<SuppressionEventSpec> = {}): SuppressionEventSpec {
  return {
    type: "recipient.suppressed",
    id: "evt_01J00000000000000000000000",
    createdAt: new Date("2026-06-01T12:00:01.000Z"),
    companyId: "co_1",
    channel,
    deliveries: [["dlv_1", "int_1"]],
    ...overrides,
  };
}

describe("publicSuppression()", () => {
  test("shows the contract's fields, messageId only when there is one, no company", () => {
    expect(publicSuppression(suppression)).toEqual({
      id: suppression.id,
      channelType: "sms",
      address: "+5511999999999",
      reason: "stop",
      messageId: suppression.messageId!,
      createdAt: "2026-06-01T12:00:00.000Z",
    });
    const manual = publicSuppression({ ...suppression, messageId: null, reason: "manual" });
    expect("messageId" in manual).toBe(false);
    expect(Value.Check(PublicSuppression, manual)).toBe(true);
  });
});

describe("buildSuppressionEvent()", () => {
  test("an event on the channel that caused it, with data.suppression, matching the envelope schema", () => {
    const row = buildSuppressionEvent(suppression, spec());
    const envelope = JSON.parse(row.event.payload);
    expect(Value.Check(EventEnvelope, envelope)).toBe(true);
    expect(envelope).toEqual({
      id: "evt_01J00000000000000000000000",
      type: "recipient.suppressed",
      createdAt: "2026-06-01T12:00:01.000Z",
      companyId: "co_1",
      channel: { id: "ch_1", type: "sms", name: "SMS", address: "+5511933334444" },
      data: { suppression: publicSuppression(suppression) },
    });
    expect(row.event).toMatchObject({
      channelId: "ch_1",
      messageId: null,
      type: "recipient.suppressed",
    });
    expect(row.deliveries).toEqual([["dlv_1", "int_1"]]);
  });

  test("an operator's change names no channel", () => {
    const row = buildSuppressionEvent(
      suppression,
      spec({ type: "recipient.unsuppressed", channel: null }),
    );
    const envelope = JSON.parse(row.event.payload);
    expect(envelope.channel).toBeNull();
    expect(row.event.channelId).toBeNull();
    expect(Value.Check(EventEnvelope, envelope)).toBe(true);
  });

  test("a suppression of another company is a bug: it throws", () => {
    expect(() => buildSuppressionEvent({ ...suppression, companyId: "co_2" }, spec())).toThrow(
      /not of company/,
    );
  });
});
