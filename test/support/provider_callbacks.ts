/**
 * Provider callbacks signed as each provider signs them, and the channels they go to: Twilio
 * (`X-Twilio-Signature` by the SDK's own function), Resend (Standard Webhooks, the reference
 * library) and Meta (`X-Hub-Signature-256`).
 *
 * @module
 */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";

/** `SENDEASY_PUBLIC_URL` of these tests: what providers sign and call back. */
export const PUBLIC_URL = "https://sendeasy.example.test";

export const TWILIO = {
  accountSid: "AC0123456789abcdef0123456789abcdef",
  authToken: "fedcba9876543210fedcba9876543210",
  address: "+5511933334444",
};
export const RESEND = {
  apiKey: "re_test_4f9c1d2e8a7b",
  webhookSecret: `whsec_${Buffer.from("resend-signing-secret-32-bytes!!").toString("base64")}`,
  address: "orders@shop.example",
};
export const META = {
  phoneNumberId: "106540352242922",
  accessToken: "EAAGm0PX4ZCpsBAexample",
  appSecret: "9f86d081884c7d659a2feaa0c55ad015",
  verifyToken: "a-long-random-verify-token",
  apiVersion: "v23.0",
  address: "+15550783881",
};

/** An HTTP callback as a provider posts it. */
export interface Callback {
  path: string;
  body: string;
  headers: Record<string, string>;
}

/** Posts a callback to `baseUrl`; resolves with the status. */
export async function post(baseUrl: string, callback: Callback): Promise<number> {
  const res = await fetch(baseUrl + callback.path, {
    method: "POST",
    body: callback.body,
    headers: callback.headers,
  });
  await res.arrayBuffer();
  return res.status;
}

/**
 * A Twilio form post to the channel, signed over the public URL with the channel's auth token
 * (or, to forge one, with `sign.token` over `sign.url`).
 */
export function twilioCallback(
  channelId: string,
  params: Record<string, string>,
  sign: { token?: string; url?: string } = {},
): Callback {
  const path = `/hooks/twilio/${channelId}`;
  const url = sign.url ?? PUBLIC_URL + path;
  return {
    path,
    body: new URLSearchParams(params).toString(),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": getExpectedTwilioSignature(sign.token ?? TWILIO.authToken, url, params),
    },
  };
}

/** Twilio's status callback for message `sid`. */
export function twilioStatus(
  channelId: string,
  sid: string,
  status: string,
  extra: Record<string, string> = {},
  sign: { token?: string; url?: string } = {},
): Callback {
  return twilioCallback(
    channelId,
    {
      AccountSid: TWILIO.accountSid,
      ApiVersion: "2010-04-01",
      From: TWILIO.address,
      MessageSid: sid,
      MessageStatus: status,
      SmsSid: sid,
      SmsStatus: status,
      To: "+5511999999999",
      ...extra,
    },
    sign,
  );
}

/** An inbound SMS from Twilio. */
export function twilioInbound(channelId: string, sid: string): Callback {
  return twilioCallback(channelId, {
    AccountSid: TWILIO.accountSid,
    ApiVersion: "2010-04-01",
    Body: "Is my order shipped?",
    From: "+5511988887777",
    MessageSid: sid,
    NumMedia: "0",
    SmsMessageSid: sid,
    SmsSid: sid,
    SmsStatus: "received",
    To: TWILIO.address,
  });
}

/**
 * A Resend event, signed with the channel's secret now (or, to forge one, with `sign.secret`
 * at `sign.at`); `id` is the event's `webhook-id`.
 */
export function resendCallback(
  channelId: string,
  event: unknown,
  id?: string,
  sign: { secret?: string; at?: Date } = {},
): Callback {
  const body = JSON.stringify(event);
  const eventId = id ?? `msg_${crypto.randomUUID()}`;
  const at = sign.at ?? new Date();
  return {
    path: `/hooks/resend/${channelId}`,
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": eventId,
      "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
      "webhook-signature": new Webhook(sign.secret ?? RESEND.webhookSecret).sign(eventId, at, body),
    },
  };
}

/** Resend's `email.*` event about e-mail `emailId`. */
export function resendEvent(type: string, emailId: string, extra: Record<string, unknown> = {}) {
  return {
    type,
    created_at: new Date().toISOString(),
    data: {
      email_id: emailId,
      from: RESEND.address,
      to: ["customer@company.com"],
      subject: "Order confirmation",
      created_at: new Date().toISOString(),
      ...extra,
    },
  };
}

/** A Meta webhook post with one `messages` change, signed with the app secret (or `secret`). */
export function metaCallback(
  channelId: string,
  value: Record<string, unknown>,
  secret = META.appSecret,
): Callback {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: {
                display_phone_number: "15550783881",
                phone_number_id: META.phoneNumberId,
              },
              ...value,
            },
          },
        ],
      },
    ],
  });
  const signature = createHmac("sha256", secret).update(body).digest("hex");
  return {
    path: `/hooks/meta/${channelId}`,
    body,
    headers: { "content-type": "application/json", "x-hub-signature-256": `sha256=${signature}` },
  };
}

/** Meta's status notification for message `id`. */
export function metaStatus(
  channelId: string,
  id: string,
  status: string,
  extra: Record<string, unknown> = {},
  secret?: string,
): Callback {
  return metaCallback(
    channelId,
    {
      statuses: [{ id, status, recipient_id: "5511999999999", timestamp: "1750263773", ...extra }],
    },
    secret,
  );
}

/** An inbound WhatsApp text through Meta. */
export function metaInbound(channelId: string, id: string): Callback {
  return metaCallback(channelId, {
    contacts: [{ profile: { name: "Ana" }, wa_id: "5511988887777" }],
    messages: [
      { from: "5511988887777", id, timestamp: "1750263773", type: "text", text: { body: "Oi!" } },
    ],
  });
}
