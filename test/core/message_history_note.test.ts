import { describe, expect, test } from "bun:test";
import type { Message, MessageStatus } from "../../core/domain.ts";
import { addHistoryNote } from "../../core/message_history_note.ts";

const T = new Date("2026-06-01T12:00:00.000Z");
const LATER = new Date("2026-06-01T12:05:00.000Z");

function message(status: MessageStatus): Message {
  return {
    id: "msg_1",
    companyId: "co_1",
    channelId: "ch_1",
    channelType: "email",
    direction: "outbound",
    integrationId: null,
    status,
    provider: "resend",
    providerMessageId: "re_1",
    to: ["a@b.co"],
    from: "orders@shop.example",
    payload: {},
    segments: null,
    credits: 1,
    error: null,
    history: [{ status: "sent", at: T }],
    createdAt: T,
    updatedAt: T,
  };
}

describe("addHistoryNote()", () => {
  test("keeps the note in the history of a sent message, under its status, nothing else changed", () => {
    const noted = addHistoryNote(message("sent"), { at: LATER, reason: "delivery_delayed" });
    expect(noted).toEqual({
      ...message("sent"),
      history: [
        { status: "sent", at: T },
        { status: "sent", at: LATER, reason: "delivery_delayed" },
      ],
      updatedAt: LATER,
    });
  });

  test("a repeated note changes nothing", () => {
    const once = addHistoryNote(message("sent"), { at: LATER, reason: "delivery_delayed" })!;
    expect(addHistoryNote(once, { at: LATER, reason: "delivery_delayed" })).toBeNull();
  });

  test("a note about a message already delivered, read or failed comes too late", () => {
    for (const status of ["delivered", "read", "failed"] as const) {
      expect(addHistoryNote(message(status), { at: LATER, reason: "delivery_delayed" })).toBeNull();
    }
  });
});
