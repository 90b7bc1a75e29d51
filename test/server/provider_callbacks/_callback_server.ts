/**
 * What the provider callback scenarios need to know of one provider (its adapter: the channel
 * it sends on, how it signs a callback, how it shapes a status report, an inbound message and
 * its forgeries), and a test server on a backend with one channel of that provider, against
 * the provider's local fake.
 *
 * @module
 */

import { afterAll, beforeAll } from "bun:test";
import type { Backend } from "../../support/backends.ts";
import type { Callback } from "../../support/provider_callbacks.ts";
import { PUBLIC_URL } from "../../support/provider_callbacks.ts";
import { startTestServer, type TestServer } from "../../support/test_server.ts";

/** A status in our words that a provider can report. */
export type Reported = "delivered" | "read" | "failed";

/** One remote provider, as the callback scenarios drive it. */
export interface CallbackAdapter {
  provider: "twilio" | "resend" | "meta";
  type: "sms" | "whatsapp" | "email";
  /** Starts the provider's local fake. */
  startFake(): { url: string; stop(): Promise<void> };
  /** The `POST /channels` body of a channel sending to the fake at `fakeUrl`. */
  channel(fakeUrl: string): Record<string, unknown>;
  /** A valid send body for this channel, to a recipient of its own (none is suppressed yet). */
  body(): Record<string, unknown>;
  /** The signed callback reporting `status` for the message the provider calls `pmid`. */
  report(channelId: string, pmid: string, status: Reported): Callback;
  /** A signed inbound message, the `n`th: a provider message id never used before. */
  inbound(channelId: string, n: number): Callback;
  /**
   * The `delivered` report for `pmid`, forged every way this provider's signature can be:
   * a wrong secret, a tampered body, no signature, … (`serverUrl`: where the server listens).
   */
  forgeries(channelId: string, pmid: string, serverUrl: string): Record<string, Callback>;
}

let numbers = 10_000_000;
/** Eight digits never used before in this process: a recipient no report has suppressed. */
export const nextNumber = (): string => String(numbers++);

/** The server and channel of a suite, once its `beforeAll` ran. */
export interface CallbackSuite {
  t: TestServer;
  channel: { id: string; token: string };
}

/**
 * A server on `backend` with one channel of `adapter`'s provider, for the suite that calls it:
 * started before its tests, stopped after them.
 */
export function useCallbackServer(backend: Backend, adapter: CallbackAdapter): () => CallbackSuite {
  let suite: CallbackSuite;
  let fake: { url: string; stop(): Promise<void> };
  beforeAll(async () => {
    fake = adapter.startFake();
    const t = await startTestServer({
      ...backend.env,
      SENDEASY_PUBLIC_URL: PUBLIC_URL,
      // The provider fakes listen on 127.0.0.1.
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    });
    const id = (await t.channel(adapter.channel(fake.url))).id as string;
    suite = { t, channel: { id, token: (await t.token(id)).token } };
  }, 30_000);
  afterAll(async () => {
    await suite?.t.close();
    await fake?.stop();
  });
  return () => suite;
}
