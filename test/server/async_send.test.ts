/**
 * Asynchronous and scheduled sends on the embedded store (README "Throughput, retries, async
 * and scheduled sends"): 202 once queued, the send worker's outcome with its events, retries of
 * temporary failures with one provider idempotency key, `sendAt`, cancel, and idempotency
 * across both modes. Real server, real SQLite file, the Resend SDK against its fake.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { captureContext } from "../support/capture_context.ts";
import { ResendFake, resendError } from "../support/fakes/resend_fake.ts";
import { eventTypes, message } from "../support/provider_server.ts";
import { SEED, startTestServer, type TestServer, waitFor } from "../support/test_server.ts";

const ASYNC = { prefer: "respond-async" };
const API_KEY = "re_test_async";
const order = { to: "customer@company.com", subject: "Order confirmation", html: "<p>Thanks</p>" };

let t: TestServer;
let resend: ResendFake;
let sms: { channelId: string; token: string };
let email: { channelId: string; token: string };

beforeAll(async () => {
  resend = new ResendFake(API_KEY);
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  const smsChannel = await t.channel({ type: "sms", address: "+15550001000", credits: 20 });
  sms = { channelId: smsChannel.id, token: (await t.token(smsChannel.id)).token };
  const emailChannel = await t.channel({
    type: "email",
    provider: "resend",
    address: "orders@shop.example",
    config: { apiKey: API_KEY, baseUrl: resend.url, maxPerSecond: 100 },
  });
  email = { channelId: emailChannel.id, token: (await t.token(emailChannel.id)).token };
});
afterAll(async () => {
  await t.close();
  await resend.stop();
});
beforeEach(() => resend.reset());

const statusOf = async (id: string) => (await message(t, id)).status as string;
const until = (id: string, status: string, timeoutMs = 5_000) =>
  waitFor(async () => ((await statusOf(id)) === status ? true : undefined), timeoutMs);

describe("Prefer: respond-async", () => {
  test("answers 202 queued at once, then the worker sends it and the events tell", async () => {
    const res = await t.send(sms.token, SEED.sms, ASYNC);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^msg_/),
      status: "queued",
      channel: { id: sms.channelId, type: "sms" },
    });
    await until(res.body.id, "delivered");
    expect(eventTypes(t, res.body.id)).toEqual(["message.sent", "message.delivered"]);
  });

  test("a 5xx is tried again later with the same idempotency key, and sent once", async () => {
    resend.answerNext(resendError("internal_server_error"));
    const res = await t.send(email.token, order, { ...ASYNC, "idempotency-key": "order-77" });
    expect(res.status).toBe(202);
    await until(res.body.id, "sent", 15_000);
    expect(resend.requests.map((r) => r.status)).toEqual([500, 200]);
    const keys = resend.requests.map((r) => r.headers.get("idempotency-key"));
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).toContain("order-77");
    expect(eventTypes(t, res.body.id)).toEqual(["message.sent"]);
  }, 20_000);

  test("a permanent refusal makes it failed with message.failed, and gives the credits back", async () => {
    const before = (await t.admin("GET", `/channels/${sms.channelId}`)).body.credits;
    const res = await t.send(sms.token, { ...SEED.sms, to: "+15005550001" }, ASYNC);
    expect(res.status).toBe(202);
    await until(res.body.id, "failed");
    expect(eventTypes(t, res.body.id)).toEqual(["message.failed"]);
    // The refund follows the recorded failure (never before it: a crash in between retries).
    const credits = async () => (await t.admin("GET", `/channels/${sms.channelId}`)).body.credits;
    await waitFor(async () => ((await credits()) === before ? true : undefined));
  });

  test("a message without a key gets its own id as the provider idempotency key", async () => {
    const res = await t.send(email.token, order, ASYNC);
    await until(res.body.id, "sent");
    expect(resend.last().headers.get("idempotency-key")).toBe(res.body.id);
  });
});

describe("idempotency across both modes", () => {
  test("a repeat of an async send replays its 202; a repeat of a sync send replays its 200", async () => {
    const first = await t.send(sms.token, SEED.sms, { ...ASYNC, "idempotency-key": "a-1" });
    const again = await t.send(sms.token, SEED.sms, { ...ASYNC, "idempotency-key": "a-1" });
    const sync = await t.send(sms.token, SEED.sms, { "idempotency-key": "a-1" });
    expect([first.status, again.status, sync.status]).toEqual([202, 202, 202]);
    expect(again.body).toEqual(first.body);
    expect(sync.headers.get("idempotent-replayed")).toBe("true");
    const s1 = await t.send(sms.token, SEED.sms, { "idempotency-key": "s-1" });
    const s2 = await t.send(sms.token, SEED.sms, { ...ASYNC, "idempotency-key": "s-1" });
    expect([s1.status, s2.status]).toEqual([200, 200]);
    expect(s2.body).toEqual(s1.body);
  });
});

describe("sendAt and cancel", () => {
  test("a scheduled send waits; cancel fails it with reason canceled, once, and refunds it", async () => {
    const before = (await t.admin("GET", `/channels/${sms.channelId}`)).body.credits;
    const sendAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const res = await t.send(sms.token, { ...SEED.sms, sendAt });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: "queued", sendAt });
    expect((await t.admin("GET", `/channels/${sms.channelId}`)).body.credits).toBe(before - 1);
    await Bun.sleep(1_200); // a poll of the worker: a send due in an hour stays queued
    expect(await statusOf(res.body.id)).toBe("queued");
    const canceled = await t.admin("POST", `/messages/${res.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: "failed", error: { code: "canceled" } });
    expect(canceled.body.history.at(-1)).toMatchObject({ status: "failed", reason: "canceled" });
    expect(eventTypes(t, res.body.id)).toEqual(["message.failed"]);
    expect((await t.admin("GET", `/channels/${sms.channelId}`)).body.credits).toBe(before);
    const twice = await t.admin("POST", `/messages/${res.body.id}/cancel`);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe("CONFLICT");
  });

  test("sendeasy message cancel msg_… cancels a scheduled send; a second time exits 1 with the 409", async () => {
    const sendAt = new Date(Date.now() + 60 * 60 * 1000).toISOString();
    const res = await t.send(sms.token, { ...SEED.sms, sendAt });
    const first = captureContext({ baseUrl: t.url, adminKey: t.adminKey });
    expect(await runCli(["message", "cancel", res.body.id], first.ctx)).toBe(0);
    expect(first.stdout).toEqual([`${res.body.id} failed`]);
    const second = captureContext({ baseUrl: t.url, adminKey: t.adminKey });
    expect(await runCli(["message", "cancel", res.body.id], second.ctx)).toBe(1);
    expect(second.stderr.join("\n")).toContain("CONFLICT");
    const usage = captureContext({ baseUrl: t.url, adminKey: t.adminKey });
    expect(await runCli(["message", "cancel", "dlv_1"], usage.ctx)).toBe(2);
  });

  test("a sent message cannot be canceled (409); an unknown one is 404", async () => {
    const sent = await t.send(sms.token, SEED.sms);
    expect((await t.admin("POST", `/messages/${sent.body.id}/cancel`)).status).toBe(409);
    expect((await t.admin("POST", "/messages/msg_nope/cancel")).status).toBe(404);
  });

  test("sendAt in the past sends now; unreadable or over 30 days ahead is a 400 at /sendAt", async () => {
    const past = await t.send(sms.token, { ...SEED.sms, sendAt: "2020-01-01T00:00:00Z" });
    expect(past.status).toBe(202);
    await until(past.body.id, "delivered");
    const far = new Date(Date.now() + 31 * 24 * 60 * 60 * 1000).toISOString();
    for (const sendAt of ["tomorrow", far, 1_700_000_000]) {
      const res = await t.send(sms.token, { ...SEED.sms, sendAt });
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { path: string }) => d.path)).toEqual(["/sendAt"]);
    }
  });
});
