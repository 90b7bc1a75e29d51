/**
 * E-mail attachments by URL through `POST /api/integration/generic` (sandbox provider): the
 * address check with private addresses not allowed, where the fetch sits in the check order
 * (after idempotency, before credits), and that a replay fetches nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../support/test_server.ts";

let files: ReturnType<typeof Bun.serve>;
let fetched = 0;

beforeAll(() => {
  files = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      fetched += 1;
      const path = new URL(request.url).pathname;
      if (path === "/endless") {
        const chunk = new Uint8Array(256 * 1024);
        return new Response(new ReadableStream({ pull: (c) => c.enqueue(chunk) }));
      }
      return path === "/a.pdf" ? new Response("%PDF") : new Response("no", { status: 404 });
    },
  });
});
afterAll(() => files.stop(true));

const mail = (url: string) => ({
  to: "ana@company.example",
  subject: "File",
  html: "<p>x</p>",
  attachments: [{ filename: "a.pdf", url }],
});

describe("without SENDEASY_ALLOW_PRIVATE_WEBHOOKS", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer();
  });
  afterAll(() => t.close());

  test("an attachment on a private address is 422; nothing is fetched, sent or charged", async () => {
    const channel = await t.channel({ type: "email", address: "orders@shop.example", credits: 5 });
    const { token } = await t.token(channel.id);
    const before = fetched;
    const res = await t.send(token, mail(`${files.url}a.pdf`));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      error: "ATTACHMENT_UNAVAILABLE",
      details: [
        {
          path: "/attachments/0/url",
          message: expect.stringContaining("SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true"),
        },
      ],
    });
    expect(fetched).toBe(before);
    expect(t.server.sandbox.records()).toEqual([]);
    expect((await t.admin("GET", `/channels/${channel.id}`)).body.credits).toBe(5);
    expect((await t.admin("GET", `/messages?channelId=${channel.id}`)).body.data).toEqual([]);
  });
});

describe("with private addresses allowed", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  });
  afterAll(() => t.close());

  test("a replay with the same Idempotency-Key answers the first 200 and fetches nothing", async () => {
    const channel = await t.channel({ type: "email", address: "orders@shop.example" });
    const { token } = await t.token(channel.id);
    const before = fetched;
    const first = await t.send(token, mail(`${files.url}a.pdf`), { "idempotency-key": "k1" });
    const again = await t.send(token, mail(`${files.url}a.pdf`), { "idempotency-key": "k1" });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(fetched).toBe(before + 1);
  });

  test("a file that cannot be had comes before credits: 422, not 402", async () => {
    const channel = await t.channel({ type: "email", address: "orders@shop.example", credits: 0 });
    const { token } = await t.token(channel.id);
    expect((await t.send(token, mail(`${files.url}missing.pdf`))).status).toBe(422);
    expect((await t.send(token, mail(`${files.url}a.pdf`))).status).toBe(402);
  });

  test("the sandbox reads files like a provider: the 10 MiB limit holds there too", async () => {
    const channel = await t.channel({ type: "email", address: "orders@shop.example" });
    const { token } = await t.token(channel.id);
    const ok = await t.send(token, mail(`${files.url}a.pdf`));
    expect(ok.status).toBe(200);
    expect((await t.admin("GET", `/messages/${ok.body.id}`)).body.payload.attachments).toEqual([
      { filename: "a.pdf", url: `${files.url}a.pdf` },
    ]);
    const big = await t.send(token, mail(`${files.url}endless`));
    expect(big.status).toBe(502);
    expect(big.body.provider).toMatchObject({ name: "sandbox", code: "attachment_too_large" });
  });
});
