/**
 * What senders need, through the real `resend` SDK to the Resend fake: copies, reply-to,
 * headers, tags and attachments arrive in Resend's wire shape (snake_case as the SDK writes it:
 * `reply_to`, `content_type`, `content_id`), a file given by URL is fetched by the server and
 * sent as base64 `content`, never as a `path` for Resend to fetch.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { ResendFake } from "../../support/fakes/resend_fake.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

const API_KEY = "re_test_features_51c0";
const ADDRESS = "orders@shop.example";
const PDF = "%PDF-1.7 fetched invoice";

let t: TestServer;
let fake: ResendFake;
let files: ReturnType<typeof Bun.serve>;
let token: string;

beforeAll(async () => {
  fake = new ResendFake(API_KEY);
  files = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: (request) =>
      new URL(request.url).pathname === "/invoice.pdf"
        ? new Response(PDF, { headers: { "content-type": "application/pdf" } })
        : new Response("gone", { status: 410 }),
  });
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  const channel = await t.channel({
    type: "email",
    provider: "resend",
    address: ADDRESS,
    config: { apiKey: API_KEY, baseUrl: fake.url },
  });
  ({ token } = await t.token(channel.id));
});
afterAll(async () => {
  await t.close();
  await fake.stop();
  files.stop(true);
});
beforeEach(() => fake.reset());

describe("Resend gets what senders need in its wire shape", () => {
  test("cc, reply_to, headers (with threading), tags and attachments", async () => {
    const res = await t.send(token, {
      to: "ana@company.example",
      cc: ["cy@company.example"],
      bcc: "archive@company.example",
      replyTo: ["help@shop.example", "sales@shop.example"],
      subject: "Your invoice",
      html: '<p><img src="cid:logo"> Thanks!</p>',
      inReplyTo: "<previous@mail.shop.example>",
      headers: {
        "List-Unsubscribe": "<https://shop.example/u/42>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Entity-Ref-ID": "order-42",
      },
      tags: [
        { name: "category", value: "invoice" },
        { name: "order_id", value: "42" },
      ],
      attachments: [
        {
          filename: "logo.png",
          contentType: "image/png",
          contentId: "logo",
          content: "iVBORw0KGgo=",
        },
        { filename: "invoice.pdf", url: `${files.url}invoice.pdf` },
      ],
    });
    expect(res.status).toBe(200);
    expect(fake.emails()).toEqual([
      {
        from: ADDRESS,
        to: ["ana@company.example"],
        cc: ["cy@company.example"],
        bcc: ["archive@company.example"],
        reply_to: ["help@shop.example", "sales@shop.example"],
        subject: "Your invoice",
        html: '<p><img src="cid:logo"> Thanks!</p>',
        headers: {
          "List-Unsubscribe": "<https://shop.example/u/42>",
          "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
          "X-Entity-Ref-ID": "order-42",
          "In-Reply-To": "<previous@mail.shop.example>",
        },
        tags: [
          { name: "category", value: "invoice" },
          { name: "order_id", value: "42" },
        ],
        attachments: [
          {
            filename: "logo.png",
            content: "iVBORw0KGgo=",
            content_type: "image/png",
            content_id: "logo",
          },
          {
            filename: "invoice.pdf",
            content: Buffer.from(PDF).toString("base64"),
            content_type: "application/pdf",
          },
        ],
      },
    ]);
  });

  test("a URL file of every length is encoded whole (chunks that split base64 groups)", async () => {
    for (const length of [1, 2, 3, 4, 65_537, 200_001]) {
      fake.reset();
      const bytes = new Uint8Array(length).map((_, i) => (i * 7) % 256);
      const server = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        // Odd-sized chunks, so the encoder carries bytes across them.
        fetch: () =>
          new Response(
            new ReadableStream({
              start(controller) {
                for (let at = 0; at < bytes.length; at += 1001) {
                  controller.enqueue(bytes.slice(at, at + 1001));
                }
                controller.close();
              },
            }),
          ),
      });
      try {
        const res = await t.send(token, {
          to: "ana@company.example",
          subject: "Bytes",
          html: "<p>x</p>",
          attachments: [{ filename: "data.bin", url: server.url.href }],
        });
        expect(res.status).toBe(200);
        const sent = fake.emails()[0]?.attachments[0];
        expect({ length, content: sent?.content }).toEqual({
          length,
          content: Buffer.from(bytes).toString("base64"),
        });
      } finally {
        server.stop(true);
      }
    }
  });

  test("an attachment URL that cannot be fetched sends nothing to Resend", async () => {
    const res = await t.send(token, {
      to: "ana@company.example",
      subject: "Gone",
      html: "<p>x</p>",
      attachments: [{ filename: "old.pdf", url: `${files.url}old.pdf` }],
    });
    expect(res.status).toBe(422);
    expect(res.body.details[0].path).toBe("/attachments/0/url");
    expect(fake.requests).toEqual([]);
  });
});
