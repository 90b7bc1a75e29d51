/**
 * The `smtp` provider end to end: `POST /api/integration/generic` on a real server, Nodemailer,
 * and a real SMTP server in this process (`smtp-server`) whose messages `mailparser` reads back.
 * Private addresses are allowed here (the relay and the file server are on 127.0.0.1).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { message, newestMessage } from "../../support/provider_server.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";
import { SmtpSink as Sink, type SmtpSink, silentServer } from "./_smtp_sink.ts";

const ADDRESS = "orders@shop.example";
const PNG = Buffer.from("89504e470d0a1a0a0000000d49484452", "hex");

let t: TestServer;
let sink: SmtpSink;
let files: ReturnType<typeof Bun.serve>;
let channelId: string;
let token: string;

/** Files the attachment tests fetch by URL. */
function startFileServer(): ReturnType<typeof Bun.serve> {
  return Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/invoice.pdf") {
        return new Response("%PDF-1.7 invoice", { headers: { "content-type": "application/pdf" } });
      }
      if (path === "/moved") return Response.redirect("/invoice.pdf", 302);
      if (path === "/slow-half") return new Response(halfThenWait());
      if (path === "/endless") return new Response(endless());
      return new Response("no such file", { status: 404 });
    },
  });
}

const HALF = 1024 * 1024;

/**
 * 1 MiB, then the rest only once the relay has received part of the message: a server that
 * buffered the whole file before sending would wait forever here.
 */
function halfThenWait(): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    async pull(controller) {
      if (sent === HALF) await waitUntil(() => sink.dataBytes > HALF / 2, 4000);
      if (sent === 2 * HALF) return controller.close();
      controller.enqueue(new Uint8Array(HALF).fill(sent === 0 ? 65 : 66));
      sent += HALF;
    },
  });
}

/** A file with no length that never ends. */
function endless(): ReadableStream<Uint8Array> {
  const chunk = new Uint8Array(256 * 1024).fill(67);
  return new ReadableStream({ pull: (controller) => controller.enqueue(chunk) });
}

async function smtpChannel(config: Record<string, unknown>, credits?: number): Promise<string> {
  const channel = await t.channel({
    type: "email",
    provider: "smtp",
    address: ADDRESS,
    name: "Relay",
    config,
    ...(credits === undefined ? {} : { credits }),
  });
  return channel.id;
}

beforeAll(async () => {
  sink = await Sink.start();
  files = startFileServer();
  t = await startTestServer({
    // Generous: a first send through a cold Nodemailer takes a while on a busy machine.
    SENDEASY_PROVIDER_TIMEOUT_MS: "5000",
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  });
  channelId = await smtpChannel({
    host: "127.0.0.1",
    port: sink.port,
    security: "none",
    heloName: "mail.shop.example",
  });
  ({ token } = await t.token(channelId));
});
afterAll(async () => {
  await t.close();
  await sink.stop();
  files.stop(true);
});
beforeEach(() => sink.reset());

describe("an e-mail through SMTP", () => {
  test("headers, envelope and MIME parts: bcc only in RCPT TO, our Message-ID as provider id", async () => {
    const res = await t.send(token, {
      to: ["ana@company.example", "bo@company.example"],
      cc: "cy@company.example",
      bcc: ["archive@company.example"],
      replyTo: ["help@shop.example", "sales@shop.example"],
      fromName: "Shop Orders",
      subject: "Order 42 — confirmação",
      html: "<p>Thanks for your order!</p>",
      text: "Thanks for your order!",
      inReplyTo: "<previous@mail.shop.example>",
      references: ["<first@mail.shop.example>", "<previous@mail.shop.example>"],
      headers: {
        "List-Unsubscribe": "<https://shop.example/u/42>, <mailto:u@shop.example>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Entity-Ref-ID": "order-42",
      },
      tags: [{ name: "category", value: "order" }],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "sent", provider: "smtp" });
    const messageId = res.body.providerMessageId;
    expect(messageId).toBe(`<${res.body.id}@shop.example>`);

    const [mail] = await sink.waitForMails(1);
    expect(mail?.mailFrom).toBe(ADDRESS);
    expect(mail?.rcptTo).toEqual([
      "ana@company.example",
      "bo@company.example",
      "cy@company.example",
      "archive@company.example",
    ]);
    const parsed = mail?.parsed;
    expect(parsed?.from?.value).toEqual([{ name: "Shop Orders", address: ADDRESS }]);
    expect(parsed?.replyTo?.value.map((a) => a.address)).toEqual([
      "help@shop.example",
      "sales@shop.example",
    ]);
    expect(parsed?.subject).toBe("Order 42 — confirmação");
    expect(parsed?.messageId).toBe(messageId);
    expect(parsed?.inReplyTo).toBe("<previous@mail.shop.example>");
    expect(parsed?.references).toEqual([
      "<first@mail.shop.example>",
      "<previous@mail.shop.example>",
    ]);
    expect(mail?.raw).toContain(
      "List-Unsubscribe: <https://shop.example/u/42>, <mailto:u@shop.example>",
    );
    expect(mail?.raw).toContain("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(mail?.raw).toContain("X-Entity-Ref-ID: order-42");
    // Blind copies go in the envelope only: no header names them.
    expect(parsed?.headers.has("bcc")).toBe(false);
    expect(mail?.raw).not.toContain("archive@company.example");
    // One text part and one HTML part, as multipart/alternative.
    expect(parsed?.html).toBe("<p>Thanks for your order!</p>");
    expect(parsed?.text?.trim()).toBe("Thanks for your order!");
    expect(mail?.raw).toMatch(/Content-Type: multipart\/alternative/);
    expect(mail?.raw).not.toContain("category");

    const stored = await message(t, res.body.id);
    expect(stored.providerMessageId).toBe(messageId);
    expect(stored.status).toBe("sent");
    expect(stored.to).toEqual(mail?.rcptTo);
    expect(stored.payload).toMatchObject({
      cc: ["cy@company.example"],
      replyTo: ["help@shop.example", "sales@shop.example"],
      tags: [{ name: "category", value: "order" }],
      headers: { "X-Entity-Ref-ID": "order-42" },
    });
  });

  test("attachments by base64 and by URL (redirect followed), and an inline image by contentId", async () => {
    const res = await t.send(token, {
      to: "ana@company.example",
      subject: "Your invoice",
      html: '<p><img src="cid:logo@shop.example"> Invoice attached.</p>',
      attachments: [
        { filename: "notes.txt", content: Buffer.from("base64 notes").toString("base64") },
        { filename: "invoice.pdf", url: `${files.url}moved` },
        {
          filename: "logo.png",
          contentType: "image/png",
          contentId: "logo@shop.example",
          content: PNG.toString("base64"),
        },
      ],
    });
    expect(res.status).toBe(200);
    const [mail] = await sink.waitForMails(1);
    const attachments = mail?.parsed.attachments ?? [];
    const shown = (name: string) => {
      const found = attachments.find((a) => a.filename === name);
      return [found?.contentType, found?.contentDisposition, found?.content.toString("latin1")];
    };
    expect(attachments).toHaveLength(3);
    expect(shown("notes.txt")).toEqual(["text/plain", "attachment", "base64 notes"]);
    // The URL's answer gave the type.
    expect(shown("invoice.pdf")).toEqual(["application/pdf", "attachment", "%PDF-1.7 invoice"]);
    expect(shown("logo.png")).toEqual(["image/png", "inline", PNG.toString("latin1")]);
    const logo = attachments.find((a) => a.filename === "logo.png");
    expect(logo?.cid).toBe("logo@shop.example");
    expect(logo?.related).toBe(true);
    expect(mail?.raw).toMatch(/Content-Type: multipart\/related/);
    expect(mail?.raw).toContain("Content-ID: <logo@shop.example>");
    const stored = await message(t, res.body.id);
    // Messages show what was attached, never the bytes.
    expect(stored.payload.attachments).toEqual([
      { filename: "notes.txt" },
      { filename: "invoice.pdf", url: `${files.url}moved` },
      { filename: "logo.png", contentType: "image/png", contentId: "logo@shop.example" },
    ]);
  });

  test("an attachment URL that answers 404 is 422 ATTACHMENT_UNAVAILABLE at its path; nothing is sent", async () => {
    const res = await t.send(token, {
      to: "ana@company.example",
      subject: "Missing file",
      html: "<p>x</p>",
      attachments: [
        { filename: "a.txt", content: "aGk=" },
        { filename: "gone.pdf", url: `${files.url}gone.pdf` },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toBe("ATTACHMENT_UNAVAILABLE");
    expect(res.body.details).toEqual([
      {
        path: "/attachments/1/url",
        message:
          'Invalid field "attachments[1].url": could not be fetched: the server answered HTTP 404',
      },
    ]);
    expect(sink.connections).toBe(0);
  });

  test("a file fetched by URL streams to the relay while it downloads", async () => {
    const res = await t.send(token, {
      to: "ana@company.example",
      subject: "Big file",
      html: "<p>x</p>",
      attachments: [{ filename: "big.bin", url: `${files.url}slow-half` }],
    });
    expect(res.status).toBe(200);
    const [mail] = await sink.waitForMails(1);
    const file = mail?.parsed.attachments[0]?.content;
    expect(file?.length).toBe(2 * HALF);
    expect([file?.[0], file?.[2 * HALF - 1]]).toEqual([65, 66]);
  });

  test("a URL file that grows past 10 MiB stops the send: 502, nothing delivered, credits back", async () => {
    const id = await smtpChannel({ host: "127.0.0.1", port: sink.port, security: "none" }, 3);
    const { token: counted } = await t.token(id);
    const res = await t.send(counted, {
      to: "ana@company.example",
      subject: "Too big",
      html: "<p>x</p>",
      attachments: [{ filename: "huge.bin", url: `${files.url}endless` }],
    });
    expect(res.status).toBe(502);
    expect(res.body.provider).toEqual({
      name: "smtp",
      code: "attachment_too_large",
      message: "/attachments/0/url: the file is larger than 10 MiB",
    });
    // The relay saw the message begin, but DATA never ended: nothing was delivered.
    expect(sink.dataBytes).toBeGreaterThan(0);
    await Bun.sleep(50);
    expect(sink.mails).toEqual([]);
    expect((await newestMessage(t, id)).status).toBe("failed");
    expect((await t.admin("GET", `/channels/${id}`)).body.credits).toBe(3);
  });

  test("credits count every recipient: to, cc and bcc", async () => {
    const id = await smtpChannel({ host: "127.0.0.1", port: sink.port, security: "none" }, 5);
    const { token: limited } = await t.token(id);
    const body = {
      to: ["a@company.example", "b@company.example"],
      cc: ["c@company.example"],
      bcc: ["d@company.example"],
      subject: "Four",
      html: "<p>4</p>",
    };
    expect((await t.send(limited, body)).status).toBe(200);
    const again = await t.send(limited, body);
    expect(again.status).toBe(402);
    expect(again.body.message).toBe("Channel has 1 credits left; this message costs 4");
    const channel = await t.admin("GET", `/channels/${id}`);
    expect(channel.body.credits).toBe(1);
  });
});

describe("when the relay refuses", () => {
  test.each([
    [550, "5.1.1 <nobody@company.example>: Recipient address rejected"],
    [421, "4.7.0 Try again later, closing connection"],
  ] as const)(
    "a %i on RCPT TO is a 502 naming the reply code; the message is failed",
    async (code, text) => {
      sink.rcptReplies.set("nobody@company.example", { code, message: text });
      const res = await t.send(token, {
        to: "nobody@company.example",
        subject: "Hi",
        html: "<p>x</p>",
      });
      expect(res.status).toBe(502);
      expect(res.body.error).toBe("PROVIDER_ERROR");
      expect(res.body.provider).toEqual({
        name: "smtp",
        code: String(code),
        message: expect.stringContaining(`${code} ${text}`),
      });
      const stored = await newestMessage(t, channelId);
      expect(stored.status).toBe("failed");
      expect(stored.to).toEqual(["nobody@company.example"]);
      expect(stored.error).toMatchObject({ code: String(code) });
      expect(sink.mails).toEqual([]);
    },
  );

  test("a wrong password fails AUTH: 502 with the relay's 535", async () => {
    const guarded = await Sink.start({ auth: { user: "relay-user", pass: "right" } });
    try {
      const id = await smtpChannel({
        host: "127.0.0.1",
        port: guarded.port,
        security: "none",
        user: "relay-user",
        password: "wrong",
      });
      const { token: wrong } = await t.token(id);
      const res = await t.send(wrong, { to: "a@company.example", subject: "Hi", html: "<p>x</p>" });
      expect(res.status).toBe(502);
      expect(res.body.provider).toMatchObject({ name: "smtp", code: "535" });
      expect(res.body.provider.message).toContain("Authentication credentials invalid");
      expect(guarded.mails).toEqual([]);

      await t.admin("PATCH", `/channels/${id}`, { config: { password: "right" } });
      const ok = await t.send(wrong, { to: "a@company.example", subject: "Hi", html: "<p>x</p>" });
      expect(ok.status).toBe(200);
      expect((await guarded.waitForMails(1))[0]?.user).toBe("relay-user");
    } finally {
      await guarded.stop();
    }
  });

  test("a relay that never answers times out: 502 timeout, the message failed", async () => {
    const silent = await silentServer();
    const quick = await startTestServer({
      SENDEASY_PROVIDER_TIMEOUT_MS: "300",
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    });
    try {
      const { channelId: hung, res } = await sendOnce(quick, silent.port);
      expect(res.status).toBe(502);
      expect(res.body.provider).toMatchObject({ name: "smtp", code: "timeout" });
      expect((await newestMessage(quick, hung)).status).toBe("failed");
    } finally {
      await quick.close();
      await silent.stop();
    }
  });
});

describe("connections", () => {
  test("several sends share a few pooled connections", async () => {
    const sends = Array.from({ length: 20 }, (_, i) =>
      t.send(token, { to: `p${i}@company.example`, subject: `Pooled ${i}`, html: "<p>x</p>" }),
    );
    const answers = await Promise.all(sends);
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
    await sink.waitForMails(20);
    // The default pool holds at most 5 connections; without a pool there would be 20.
    expect(sink.connections).toBeGreaterThan(0);
    expect(sink.connections).toBeLessThanOrEqual(5);
    const after = sink.connections;
    await t.send(token, { to: "later@company.example", subject: "Reuse", html: "<p>x</p>" });
    expect(sink.connections).toBe(after);
  });

  test("a changed channel gets a new pool; the old one's connections close", async () => {
    const other = await Sink.start();
    try {
      const id = await smtpChannel({ host: "127.0.0.1", port: sink.port, security: "none" });
      const { token: moving } = await t.token(id);
      expect(
        (await t.send(moving, { to: "a@company.example", subject: "1", html: "<p>1</p>" })).status,
      ).toBe(200);
      expect(sink.connections).toBe(1);
      const closedBefore = sink.closed;
      const patched = await t.admin("PATCH", `/channels/${id}`, { config: { port: other.port } });
      expect(patched.status).toBe(200);
      expect(
        (await t.send(moving, { to: "a@company.example", subject: "2", html: "<p>2</p>" })).status,
      ).toBe(200);
      expect(other.mails.map((m) => m.parsed.subject)).toEqual(["2"]);
      // The first relay sees the old pool's idle connection closed by the client.
      await waitUntil(() => sink.closed === closedBefore + 1);
    } finally {
      await other.stop();
    }
  });

  test("stopping the server closes its pools", async () => {
    const own = await Sink.start();
    const stopping = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
    const { res } = await sendOnce(stopping, own.port);
    expect(res.status).toBe(200);
    expect([own.connections, own.closed]).toEqual([1, 0]);
    await stopping.close();
    await waitUntil(() => own.closed === 1);
    await own.stop();
  });
});

/** One send through a new SMTP channel of `server` to the relay on `port`. */
async function sendOnce(
  server: TestServer,
  port: number,
): Promise<{ channelId: string; res: { status: number; body: any } }> {
  const channel = await server.channel({
    type: "email",
    provider: "smtp",
    address: ADDRESS,
    config: { host: "127.0.0.1", port, security: "none" },
  });
  const { token: own } = await server.token(channel.id);
  const res = await server.send(own, { to: "a@company.example", subject: "Hi", html: "<p>x</p>" });
  return { channelId: channel.id, res };
}

async function waitUntil(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await Bun.sleep(20);
  }
}
