/**
 * Suppression lists end to end on the sandbox: the admin API, sends refused before credits and
 * the provider, opt-out replies through simulated inbound messages, and `recipient.*` events
 * received by real webhook receivers by the union rule.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import {
  ADDRESSES,
  SEED,
  startTestServer,
  type TestServer,
  waitFor,
} from "../support/test_server.ts";

let t: TestServer;
let general: Receiver;
let smsHook: Receiver;
const sms = { id: "", token: "" };
const email = { id: "", token: "" };
const whatsapp = { id: "", token: "" };

beforeAll(async () => {
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  general = startReceiver();
  smsHook = startReceiver();
  sms.id = (await t.channel({ type: "sms", address: ADDRESSES.sms, credits: 10 })).id;
  sms.token = (await t.token(sms.id)).token;
  email.id = (await t.channel({ type: "email", address: ADDRESSES.email })).id;
  email.token = (await t.token(email.id)).token;
  whatsapp.id = (await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp })).id;
  whatsapp.token = (await t.token(whatsapp.id)).token;
  const hooks = [
    { name: "general", scope: "general", url: general.url },
    { name: "sms", scope: "channel", channelId: sms.id, url: smsHook.url },
  ];
  for (const hook of hooks) {
    expect((await t.admin("POST", "/integrations", { kind: "webhook", ...hook })).status).toBe(201);
  }
});
afterAll(async () => {
  await t.close();
  general.close();
  smsHook.close();
});

const suppress = (body: Record<string, unknown>) => t.admin("POST", "/suppressions", body);
const received = (r: Receiver, id: string) =>
  r.received.filter((x) => x.body?.data?.suppression?.id === id);

describe("the admin API", () => {
  test("POST adds a manual suppression in its stored form; a repeat answers the same one", async () => {
    const res = await suppress({ channelType: "sms", address: " +15550001001 " });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^sup_/),
      channelType: "sms",
      address: "+15550001001",
      reason: "manual",
      createdAt: expect.any(String),
    });
    const again = await suppress({ channelType: "sms", address: "+15550001001", reason: "stop" });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect((await t.admin("GET", `/suppressions/${res.body.id}`)).body).toEqual(res.body);
    const mail = await suppress({ channelType: "email", address: "Ana <Ana@Company.com>" });
    expect(mail.body.address).toBe("ana@company.com");
    const wa = await suppress({ channelType: "whatsapp", address: "+5511988880000" });
    expect(wa.body.address).toBe("5511988880000");
  });

  test("GET lists newest first, filtered by channel type and by any spelling of an address", async () => {
    await suppress({ channelType: "email", address: "list-a@company.com" });
    const b = (await suppress({ channelType: "email", address: "list-b@company.com" })).body;
    const page = await t.admin("GET", "/suppressions?channelType=email&limit=1");
    expect(page.body.data).toEqual([b]);
    expect(page.body.nextCursor).toBe(b.id);
    const one = await t.admin(
      "GET",
      "/suppressions?channelType=email&address=LIST-B%40company.com",
    );
    expect(one.body.data).toEqual([b]);
    const all = await t.admin("GET", "/suppressions?limit=100");
    expect(all.body.data.every((s: any) => s.id.startsWith("sup_"))).toBe(true);
  });

  test("DELETE removes it (204), then 404; another company's key sees none of them", async () => {
    const added = (await suppress({ channelType: "sms", address: "+15550001002" })).body;
    const other = await t.admin("POST", "/companies", { name: "Other" });
    const otherKey = { authorization: `Bearer ${other.body.adminKey}` };
    expect((await t.admin("GET", `/suppressions/${added.id}`, undefined, otherKey)).status).toBe(
      404,
    );
    expect((await t.admin("DELETE", `/suppressions/${added.id}`, undefined, otherKey)).status).toBe(
      404,
    );
    expect((await t.admin("GET", "/suppressions", undefined, otherKey)).body.data).toEqual([]);
    expect((await t.admin("DELETE", `/suppressions/${added.id}`)).status).toBe(204);
    const gone = await t.admin("DELETE", `/suppressions/${added.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ error: "NOT_FOUND", requestId: expect.any(String) });
  });

  test("bad input answers 400 with a detail per problem, never a 500", async () => {
    const many = await suppress({ channelType: "fax", address: 42, reason: "spam", extra: true });
    expect(many.status).toBe(400);
    expect(many.body.error).toBe("VALIDATION_ERROR");
    const paths = many.body.details.map((d: { path: string }) => d.path);
    for (const path of ["/channelType", "/address", "/reason", "/extra"])
      expect(paths).toContain(path);
    const address = await suppress({ channelType: "email", address: "not-an-address" });
    expect(address.status).toBe(400);
    expect(address.body.details).toEqual([
      { path: "/address", message: expect.stringContaining("must be an e-mail address") },
    ]);
    expect((await suppress({ channelType: "sms", address: "5511" })).status).toBe(400);
  });
});

describe("sending to a suppressed address", () => {
  test("answers 422 RECIPIENT_SUPPRESSED: nothing sent, no credit taken, no message stored", async () => {
    const to = "+15550002001";
    const added = (await suppress({ channelType: "sms", address: to })).body;
    const before = (await t.admin("GET", `/channels/${sms.id}`)).body.credits;
    const messages = (await t.admin("GET", `/messages?channelId=${sms.id}&limit=100`)).body.data
      .length;
    const res = await t.send(sms.token, { to, body: "hi" });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({
      error: "RECIPIENT_SUPPRESSED",
      message: "A recipient is on this company's suppression list; nothing was sent.",
      details: [{ path: "/to", message: expect.stringContaining(added.id) }],
      requestId: res.headers.get("x-request-id"),
    });
    expect((await t.admin("GET", `/channels/${sms.id}`)).body.credits).toBe(before);
    expect((await t.admin("GET", `/messages?channelId=${sms.id}&limit=100`)).body.data.length).toBe(
      messages,
    );
  });

  test("an e-mail gets one detail per suppressed address, at the place it was given", async () => {
    await suppress({ channelType: "email", address: "gone-1@company.com" });
    await suppress({ channelType: "email", address: "gone-2@company.com" });
    const res = await t.send(email.token, {
      ...SEED.email,
      to: ["ok@company.com", "GONE-1@company.com"],
      bcc: "gone-2@company.com",
    });
    expect(res.status).toBe(422);
    expect(res.body.message).toBe(
      "2 recipients are on this company's suppression list; nothing was sent.",
    );
    expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(["/to/1", "/bcc"]);
  });

  test("the check order: 400 before it, the idempotency answers before it, 402 after it", async () => {
    const to = "+15550002002";
    await suppress({ channelType: "sms", address: to });
    expect((await t.send(sms.token, { to, body: "" })).status).toBe(400);
    const key = { "idempotency-key": "order-check-1" };
    expect((await t.send(sms.token, SEED.sms, key)).status).toBe(200);
    expect((await t.send(sms.token, { to, body: "hi" }, key)).body.error).toBe(
      "IDEMPOTENCY_KEY_REUSED",
    );
    const broke = await t.channel({ type: "sms", address: ADDRESSES.sms, credits: 0 });
    const brokeToken = (await t.token(broke.id)).token;
    expect((await t.send(brokeToken, { to, body: "hi" })).body.error).toBe("RECIPIENT_SUPPRESSED");
    expect((await t.send(brokeToken, SEED.sms)).status).toBe(402);
  });

  test("a refusal releases the Idempotency-Key: once the address is removed, the same key sends", async () => {
    const to = "+15550002003";
    const added = (await suppress({ channelType: "sms", address: to })).body;
    const key = { "idempotency-key": "after-removal" };
    expect((await t.send(sms.token, { to, body: "hi" }, key)).status).toBe(422);
    await t.admin("DELETE", `/suppressions/${added.id}`);
    expect((await t.send(sms.token, { to, body: "hi" }, key)).status).toBe(200);
  });
});

describe("opt-out replies", () => {
  test("STOP suppresses the sender, START lifts it; a keyword inside a sentence is a message", async () => {
    const from = "+15550003001";
    const inbound = (text: string) =>
      t.admin("POST", `/channels/${sms.id}/simulate-inbound`, { from, text });
    expect((await inbound("please stop calling")).status).toBe(201);
    expect((await t.send(sms.token, { to: from, body: "hi" })).status).toBe(200);
    const stop = await inbound("  Stop ");
    const listed = await t.admin(
      "GET",
      `/suppressions?channelType=sms&address=${encodeURIComponent(from)}`,
    );
    expect(listed.body.data).toEqual([
      expect.objectContaining({ reason: "stop", messageId: stop.body.message.id }),
    ]);
    expect((await t.send(sms.token, { to: from, body: "hi" })).status).toBe(422);
    await inbound("unstop");
    expect((await t.send(sms.token, { to: from, body: "hi" })).status).toBe(200);
  });

  test("twenty STOPs at once add one suppression with one event", async () => {
    const from = "+15550003002";
    await Promise.all(
      Array.from({ length: 20 }, () =>
        t.admin("POST", `/channels/${sms.id}/simulate-inbound`, { from, text: "STOP" }),
      ),
    );
    const listed = await t.admin(
      "GET",
      `/suppressions?channelType=sms&address=${encodeURIComponent(from)}`,
    );
    expect(listed.body.data).toHaveLength(1);
    const id = listed.body.data[0].id;
    await waitFor(() => (received(general, id).length > 0 ? true : undefined));
    await Bun.sleep(100);
    expect(received(general, id)).toHaveLength(1);
  });
});

describe("recipient.* events", () => {
  test("an opt-out on a channel reaches general and channel webhooks, naming the channel", async () => {
    const from = "+15550004001";
    await t.admin("POST", `/channels/${sms.id}/simulate-inbound`, { from, text: "QUIT" });
    const listed = await t.admin(
      "GET",
      `/suppressions?channelType=sms&address=${encodeURIComponent(from)}`,
    );
    const id = listed.body.data[0].id;
    for (const receiver of [general, smsHook]) {
      const [event] = await waitFor(() =>
        received(receiver, id).length > 0 ? received(receiver, id) : undefined,
      );
      expect(event?.body).toMatchObject({
        type: "recipient.suppressed",
        channel: { id: sms.id, type: "sms" },
        data: { suppression: { id, channelType: "sms", address: from, reason: "stop" } },
      });
    }
  });

  test("changes through the admin API carry channel: null and go to general webhooks only", async () => {
    const added = (await suppress({ channelType: "sms", address: "+15550004002" })).body;
    expect((await t.admin("DELETE", `/suppressions/${added.id}`)).status).toBe(204);
    const events = await waitFor(() =>
      received(general, added.id).length === 2 ? received(general, added.id) : undefined,
    );
    expect(events.map((e) => [e.type, e.body.channel])).toEqual([
      ["recipient.suppressed", null],
      ["recipient.unsuppressed", null],
    ]);
    expect(events[1]?.body.data.suppression).toEqual(added);
    await Bun.sleep(100);
    expect(received(smsHook, added.id)).toEqual([]);
    const replayed = await t.admin("POST", `/events/${events[0]!.id}/replay`);
    expect(replayed.status).toBe(202);
    await waitFor(() => (received(general, added.id).length === 3 ? true : undefined));
  });
});

test("a webhook may subscribe to the recipient.* events alone", async () => {
  const only = startReceiver();
  try {
    const created = await t.admin("POST", "/integrations", {
      kind: "webhook",
      name: "consent log",
      scope: "general",
      url: only.url,
      events: ["recipient.suppressed", "recipient.unsuppressed"],
    });
    expect(created.status).toBe(201);
    await t.send(sms.token, { to: "+15550005001", body: "hi" });
    const added = (await suppress({ channelType: "sms", address: "+15550005001" })).body;
    await waitFor(() => (received(only, added.id).length > 0 ? true : undefined));
    expect(only.received.map((r) => r.type)).toEqual(["recipient.suppressed"]);
  } finally {
    only.close();
  }
});

describe("WhatsApp on the sandbox", () => {
  test("both template forms are accepted and kept on the message", async () => {
    const meta = { name: "order_update", language: "en_US" };
    const twilio = { contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e", variables: { "1": "Alex" } };
    for (const template of [meta, twilio]) {
      const res = await t.send(whatsapp.token, { number: "5511999990001", template });
      expect(res.status).toBe(200);
      const stored = await t.admin("GET", `/messages/${res.body.id}`);
      expect(stored.body.payload.template).toEqual(template);
    }
  });

  test("free text goes to anyone by default; with enforceWindow it waits for the contact", async () => {
    expect((await t.send(whatsapp.token, { number: "5511999990002", message: "hi" })).status).toBe(
      200,
    );
    const strict = await t.channel({
      type: "whatsapp",
      address: ADDRESSES.whatsapp,
      config: { enforceWindow: "true" },
    });
    expect(strict.config).toEqual({ enforceWindow: true });
    const token = (await t.token(strict.id)).token;
    const closed = await t.send(token, { number: "5511999990002", message: "hi" });
    expect(closed.status).toBe(422);
    expect(closed.body).toMatchObject({ error: "WHATSAPP_WINDOW_CLOSED", lastInboundAt: null });
    await t.admin("POST", `/channels/${strict.id}/simulate-inbound`, {
      from: "+5511999990002",
      text: "oi",
    });
    expect((await t.send(token, { number: "5511999990002", message: "hi" })).status).toBe(200);
  });

  test("enforceWindow must be a boolean (or its text), and only WhatsApp channels take it", async () => {
    const bad = await t.admin("POST", "/channels", {
      type: "whatsapp",
      address: ADDRESSES.whatsapp,
      name: "WA",
      config: { enforceWindow: "sometimes" },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([
      { path: "/config/enforceWindow", message: "must be true or false" },
    ]);
    const sms = await t.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "SMS",
      config: { enforceWindow: false },
    });
    expect(sms.status).toBe(400);
    expect(sms.body.details[0].path).toBe("/config/enforceWindow");
    const patched = await t.admin("PATCH", `/channels/${whatsapp.id}`, {
      config: { enforceWindow: true },
    });
    expect(patched.body.config).toEqual({ enforceWindow: true });
    const closed = await t.send(whatsapp.token, { number: "5511999990003", message: "hi" });
    expect(closed.body.error).toBe("WHATSAPP_WINDOW_CLOSED");
    await t.admin("PATCH", `/channels/${whatsapp.id}`, { config: { enforceWindow: false } });
    expect((await t.send(whatsapp.token, { number: "5511999990003", message: "hi" })).status).toBe(
      200,
    );
  });
});
