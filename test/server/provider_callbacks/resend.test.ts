/**
 * The provider callback scenarios for Resend: an e-mail channel, `email.*` events and inbound
 * e-mail signed as Standard Webhooks (the reference library) with the channel's secret.
 */
import { ResendFake } from "../../support/fakes/resend_fake.ts";
import {
  type Callback,
  RESEND,
  resendCallback,
  resendEvent,
} from "../../support/provider_callbacks.ts";
import { callbackScenarios } from "./_callback_scenarios.ts";
import { nextNumber, type Reported } from "./_callback_server.ts";

const TYPE: Record<Reported, string> = {
  delivered: "email.delivered",
  read: "email.opened",
  failed: "email.bounced",
};
const SIX_MINUTES = 6 * 60 * 1000;

await callbackScenarios({
  provider: "resend",
  type: "email",
  startFake: () => new ResendFake(RESEND.apiKey),
  channel: (fakeUrl) => ({
    type: "email",
    provider: "resend",
    address: RESEND.address,
    config: { apiKey: RESEND.apiKey, webhookSecret: RESEND.webhookSecret, baseUrl: fakeUrl },
  }),
  body: () => ({
    to: `customer+${nextNumber()}@company.com`,
    subject: "Order confirmation",
    html: "<p>Thanks</p>",
  }),
  report: (channelId, emailId, status) =>
    resendCallback(
      channelId,
      resendEvent(
        TYPE[status],
        emailId,
        status === "failed" ? { bounce: { type: "Permanent", message: "Mailbox full" } } : {},
      ),
    ),
  inbound: (channelId, n) =>
    resendCallback(
      channelId,
      resendEvent("email.received", `b1c2d3e4-0000-4000-8000-${String(n).padStart(12, "0")}`, {
        from: "Ana <ana@customer.example>",
        to: [RESEND.address],
        subject: "Where is my order?",
      }),
      `msg_inbound_${n}`,
    ),
  forgeries: (channelId, emailId) => {
    const event = resendEvent("email.delivered", emailId);
    const signed = (sign: { secret?: string; at?: Date }) =>
      resendCallback(channelId, event, undefined, sign);
    const tampered: Callback = signed({});
    tampered.body = tampered.body.replace("email.delivered", "email.bounced");
    const unsigned: Callback = signed({});
    delete unsigned.headers["webhook-signature"];
    return {
      "another secret": signed({
        secret: `whsec_${Buffer.from("not-the-channel-secret-32-bytes!").toString("base64")}`,
      }),
      "a stale timestamp": signed({ at: new Date(Date.now() - SIX_MINUTES) }),
      "a future timestamp": signed({ at: new Date(Date.now() + SIX_MINUTES) }),
      "a tampered body": tampered,
      "no signature": unsigned,
    };
  },
});
