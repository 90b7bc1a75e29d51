/**
 * One channel per remote provider on a test server, each against its local fake, with how to
 * send on it and how the provider reports `delivered`, `read` and `failed` for a message.
 *
 * @module
 */

import { afterAll, beforeAll } from "bun:test";
import type { Backend } from "../support/backends.ts";
import { MetaFake } from "../support/fakes/meta_fake.ts";
import { ResendFake } from "../support/fakes/resend_fake.ts";
import { TwilioFake } from "../support/fakes/twilio_fake.ts";
import { startTestServer, type TestServer } from "../support/test_server.ts";
import {
  type Callback,
  META,
  metaStatus,
  PUBLIC_URL,
  RESEND,
  resendCallback,
  resendEvent,
  TWILIO,
  twilioStatus,
} from "./_callbacks.ts";

/** A status in our words that a provider can report. */
export type Reported = "delivered" | "read" | "failed";

/** A remote provider's channel, ready to send on and to call back. */
export interface ProviderChannel {
  provider: "twilio" | "resend" | "meta";
  type: "sms" | "whatsapp" | "email";
  id: string;
  token: string;
  /** A valid send body for this channel, to a recipient of its own (none is suppressed yet). */
  body(): Record<string, unknown>;
  /** The provider's callback reporting `status` for the message it calls `providerMessageId`. */
  report(providerMessageId: string, status: Reported): Callback;
}

/** The fakes behind the channels; stop them after the suite. */
export interface ProviderFakes {
  twilio: TwilioFake;
  resend: ResendFake;
  meta: MetaFake;
  stop(): Promise<void>;
}

export function startProviderFakes(): ProviderFakes {
  const fakes = {
    twilio: new TwilioFake(TWILIO.accountSid, TWILIO.authToken),
    resend: new ResendFake(RESEND.apiKey),
    meta: new MetaFake(META.phoneNumberId, META.accessToken, META.apiVersion),
  };
  return {
    ...fakes,
    stop: async () => {
      for (const fake of Object.values(fakes)) await fake.stop();
    },
  };
}

let numbers = 10_000_000;
/** Eight digits never used before in this process: a recipient no report has suppressed. */
const nextNumber = (): string => String(numbers++);

const TWILIO_STATUS: Record<Reported, string> = {
  delivered: "delivered",
  read: "read",
  failed: "undelivered",
};
const RESEND_TYPE: Record<Reported, string> = {
  delivered: "email.delivered",
  read: "email.opened",
  failed: "email.bounced",
};

/** Creates one channel per provider (Twilio WhatsApp, Resend e-mail, Meta WhatsApp). */
export async function providerChannels(
  t: TestServer,
  fakes: ProviderFakes,
): Promise<ProviderChannel[]> {
  const make = async (input: Record<string, unknown>) => {
    const id = (await t.channel(input)).id as string;
    return { id, token: (await t.token(id)).token };
  };
  const twilio = await make({
    type: "whatsapp",
    provider: "twilio",
    address: TWILIO.address,
    // Free text to any number: the suites have no inbound message opening a 24-hour window.
    config: {
      accountSid: TWILIO.accountSid,
      authToken: TWILIO.authToken,
      baseUrl: fakes.twilio.url,
      enforceWindow: false,
    },
  });
  const resend = await make({
    type: "email",
    provider: "resend",
    address: RESEND.address,
    config: {
      apiKey: RESEND.apiKey,
      webhookSecret: RESEND.webhookSecret,
      baseUrl: fakes.resend.url,
    },
  });
  const meta = await make({
    type: "whatsapp",
    provider: "meta",
    address: META.address,
    config: {
      phoneNumberId: META.phoneNumberId,
      accessToken: META.accessToken,
      appSecret: META.appSecret,
      verifyToken: META.verifyToken,
      baseUrl: fakes.meta.url,
      enforceWindow: false,
    },
  });
  return [
    {
      provider: "twilio",
      type: "whatsapp",
      ...twilio,
      body: () => ({ number: `55119${nextNumber()}`, message: "Your order shipped" }),
      report: (sid, status) =>
        twilioStatus(
          twilio.id,
          sid,
          TWILIO_STATUS[status],
          status === "failed" ? { ErrorCode: "30003" } : {},
        ),
    },
    {
      provider: "resend",
      type: "email",
      ...resend,
      body: () => ({
        to: `customer+${nextNumber()}@company.com`,
        subject: "Order confirmation",
        html: "<p>Thanks</p>",
      }),
      report: (emailId, status) =>
        resendCallback(
          resend.id,
          resendEvent(
            RESEND_TYPE[status],
            emailId,
            status === "failed" ? { bounce: { type: "Permanent", message: "Mailbox full" } } : {},
          ),
        ),
    },
    {
      provider: "meta",
      type: "whatsapp",
      ...meta,
      body: () => ({ number: `55119${nextNumber()}`, message: "Your order shipped" }),
      report: (wamid, status) =>
        metaStatus(
          meta.id,
          wamid,
          status,
          status === "failed" ? { errors: [{ code: 131026, title: "Message undeliverable" }] } : {},
        ),
    },
  ];
}

/**
 * A server on `backend` with one channel per remote provider, for the suite that calls it:
 * started before its tests, stopped after them.
 *
 * @returns the server and its channels, once the suite's `beforeAll` ran
 */
export function useProviderServer(backend: Backend): () => {
  t: TestServer;
  channel(provider: ProviderChannel["provider"]): ProviderChannel;
} {
  let t: TestServer;
  let fakes: ProviderFakes;
  let channels: ProviderChannel[];
  beforeAll(async () => {
    fakes = startProviderFakes();
    t = await startTestServer({
      ...backend.env,
      SENDEASY_PUBLIC_URL: PUBLIC_URL,
      // The provider fakes listen on 127.0.0.1.
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    });
    channels = await providerChannels(t, fakes);
  }, 30_000);
  afterAll(async () => {
    await t.close();
    await fakes.stop();
  });
  return () => ({
    t,
    channel: (provider) => {
      const found = channels.find((c) => c.provider === provider);
      if (found === undefined) throw new Error(`no ${provider} channel`);
      return found;
    },
  });
}
