import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { Message } from "../../core/domain.ts";
import { publicMessage } from "../../core/public_message.ts";
import { ATTACHMENT_CONTENT, channelWithMessageArb } from "../arbitraries/events_arbs.ts";

const at = new Date(Date.UTC(2026, 0, 1));

function email(payload: Record<string, unknown>): Message {
  return {
    id: "msg_1",
    companyId: "co_1",
    channelId: "ch_1",
    channelType: "email",
    direction: "outbound",
    integrationId: "int_1",
    status: "sent",
    provider: "smtp",
    providerMessageId: "<msg_1@shop.example>",
    to: ["a@b.test", "c@b.test"],
    from: "orders@shop.example",
    payload,
    segments: null,
    credits: 2,
    error: null,
    history: [{ status: "sent", at }],
    createdAt: at,
    updatedAt: at,
  };
}

describe("publicMessage() on e-mail", () => {
  test("shows copies, reply-to, headers, tags and what was attached, never the file's bytes", () => {
    const shown = publicMessage(
      email({
        to: ["a@b.test"],
        cc: ["c@b.test"],
        replyTo: "help@shop.example",
        subject: "Invoice",
        html: "<p>x</p>",
        headers: { "X-Entity-Ref-ID": "order-42" },
        tags: [{ name: "category", value: "invoice" }],
        attachments: [
          { filename: "a.pdf", contentType: "application/pdf", content: ATTACHMENT_CONTENT },
          { filename: "logo.png", contentId: "logo", url: "https://cdn.shop.example/logo.png" },
        ],
      }),
    );
    expect(shown.payload).toEqual({
      subject: "Invoice",
      html: "<p>x</p>",
      cc: ["c@b.test"],
      replyTo: ["help@shop.example"],
      headers: { "X-Entity-Ref-ID": "order-42" },
      tags: [{ name: "category", value: "invoice" }],
      attachments: [
        { filename: "a.pdf", contentType: "application/pdf" },
        { filename: "logo.png", contentId: "logo", url: "https://cdn.shop.example/logo.png" },
      ],
    });
    expect(shown.provider).toBe("smtp");
  });

  test("no message of any shape shows an attachment's content", () => {
    fc.assert(
      fc.property(channelWithMessageArb, ({ message }) => {
        expect(JSON.stringify(publicMessage(message))).not.toContain(ATTACHMENT_CONTENT);
      }),
      { numRuns: 300 },
    );
  });
});
