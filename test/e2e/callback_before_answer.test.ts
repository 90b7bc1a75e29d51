/**
 * A provider that posts the signed `delivered` callback before it answers the send (its
 * callback is faster than its answer): the report is kept and applied when the answer is
 * written, so every message ends `delivered`, with `message.sent` then `message.delivered`.
 * Twilio, 20 sends one after the other and 20 at once, on SQLite and on Postgres; Resend and
 * Meta too.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { backends, eventsByMessage } from "../support/backends.ts";
import { MetaFake } from "../support/fakes/meta_fake.ts";
import { ResendFake } from "../support/fakes/resend_fake.ts";
import { TwilioFake } from "../support/fakes/twilio_fake.ts";
import {
  type Callback,
  META,
  metaStatus,
  PUBLIC_URL,
  post,
  RESEND,
  resendCallback,
  resendEvent,
  TWILIO,
  twilioStatus,
} from "../support/provider_callbacks.ts";
import { SEED, startTestServer, type TestServer } from "../support/test_server.ts";
import { type EarlyCallbackProxy, earlyCallbackProxy } from "./_early_callback_proxy.ts";

for (const backend of await backends()) {
  describe(`a callback that arrives before the provider's answer, on ${backend.name}`, () => {
    let t: TestServer;
    const fakes = {
      twilio: new TwilioFake(TWILIO.accountSid, TWILIO.authToken),
      resend: new ResendFake(RESEND.apiKey),
      meta: new MetaFake(META.phoneNumberId, META.accessToken, META.apiVersion),
    };
    const proxies: EarlyCallbackProxy[] = [];
    /** The acknowledgements Sendeasy gave the early callbacks. */
    const acks: number[] = [];

    /** A channel whose provider calls back (`callback(answer)`) before answering. */
    async function channel(
      provider: keyof typeof fakes,
      input: Record<string, unknown>,
      callback: (channelId: string, answer: any) => Callback,
    ): Promise<{ id: string; token: string }> {
      let channelId = "";
      const proxy = earlyCallbackProxy(fakes[provider].url, async (answer) => {
        acks.push(await post(t.url, callback(channelId, answer)));
      });
      proxies.push(proxy);
      const config = { ...(input.config as object), baseUrl: proxy.url };
      channelId = (await t.channel({ ...input, provider, config })).id;
      return { id: channelId, token: (await t.token(channelId)).token };
    }

    /** Every message of the channel ended `delivered`, with one sent and one delivered event. */
    async function expectAllDelivered(channelId: string, ids: string[]): Promise<void> {
      const events = await eventsByMessage(t, channelId);
      for (const id of ids) {
        const stored = (await t.admin("GET", `/messages/${id}`)).body;
        expect({ id, status: stored.status }).toEqual({ id, status: "delivered" });
        expect(stored.history.map((h: { status: string }) => h.status)).toEqual([
          "queued",
          "sent",
          "delivered",
        ]);
        // In time order: the report that waited applies when its message got the provider's id.
        const times = stored.history.map((h: { at: string }) => Date.parse(h.at));
        expect(times).toEqual([...times].sort((a, b) => a - b));
        const sentThenDelivered = events.get(id) ?? [];
        expect(sentThenDelivered.map((e) => e.type)).toEqual(["message.sent", "message.delivered"]);
        const created = sentThenDelivered.map((e) => Date.parse(e.envelope.createdAt));
        expect(created[0]!).toBeLessThanOrEqual(created[1]!);
      }
      expect(acks.every((status) => status === 200)).toBe(true);
    }

    beforeAll(async () => {
      t = await startTestServer({
        ...backend.env,
        SENDEASY_PUBLIC_URL: PUBLIC_URL,
        SENDEASY_PROVIDER_TIMEOUT_MS: "5000",
        // The provider fakes listen on 127.0.0.1.
        SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
      });
    }, 30_000);
    afterAll(async () => {
      await t.close();
      for (const proxy of proxies) await proxy.stop();
      for (const fake of Object.values(fakes)) await fake.stop();
    });

    const twilio = () =>
      channel(
        "twilio",
        {
          type: "sms",
          address: TWILIO.address,
          config: { accountSid: TWILIO.accountSid, authToken: TWILIO.authToken },
        },
        (id, answer) => twilioStatus(id, answer.sid, "delivered"),
      );

    test("Twilio: 20 sends one after the other all end delivered", async () => {
      const ch = await twilio();
      const ids: string[] = [];
      for (let i = 0; i < 20; i++) {
        const res = await t.send(ch.token, SEED.sms);
        expect(res.status).toBe(200);
        ids.push(res.body.id);
      }
      await expectAllDelivered(ch.id, ids);
    }, 60_000);

    test("Twilio: 20 sends at once all end delivered", async () => {
      const ch = await twilio();
      const sends = await Promise.all(Array.from({ length: 20 }, () => t.send(ch.token, SEED.sms)));
      expect(sends.map((res) => res.status)).toEqual(Array(20).fill(200));
      await expectAllDelivered(
        ch.id,
        sends.map((res) => res.body.id),
      );
    }, 60_000);

    test("Resend and Meta: sends at once all end delivered", async () => {
      const resend = await channel(
        "resend",
        {
          type: "email",
          address: RESEND.address,
          config: { apiKey: RESEND.apiKey, webhookSecret: RESEND.webhookSecret },
        },
        (id, answer) => resendCallback(id, resendEvent("email.delivered", answer.id)),
      );
      const meta = await channel(
        "meta",
        {
          type: "whatsapp",
          address: META.address,
          config: {
            phoneNumberId: META.phoneNumberId,
            accessToken: META.accessToken,
            appSecret: META.appSecret,
            verifyToken: META.verifyToken,
            enforceWindow: false,
          },
        },
        (id, answer) => metaStatus(id, answer.messages[0].id, "delivered"),
      );
      const email = { to: "customer@company.com", subject: "Hi", html: "<p>Hi</p>" };
      const text = { number: "5511999999999", message: "Hi" };
      const [emails, texts] = await Promise.all([
        Promise.all(Array.from({ length: 5 }, () => t.send(resend.token, email))),
        Promise.all(Array.from({ length: 5 }, () => t.send(meta.token, text))),
      ]);
      await expectAllDelivered(
        resend.id,
        emails.map((res) => res.body.id),
      );
      await expectAllDelivered(
        meta.id,
        texts.map((res) => res.body.id),
      );
    }, 60_000);
  });
}
