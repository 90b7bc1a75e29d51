/**
 * SMS and WhatsApp through Twilio (docs/providers.md) with the `twilio` SDK: one
 * `POST /2010-04-01/Accounts/{sid}/Messages.json` per send, with the channel's callback URL as
 * `StatusCallback`; WhatsApp addresses as `whatsapp:+E164`, a WhatsApp template as `ContentSid`
 * and `ContentVariables` (a JSON string) instead of `Body`.
 *
 * @module
 */
import twilio from "twilio";
import type { MessageListInstanceCreateOptions } from "twilio/lib/rest/api/v2010/account/message";
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import type { SmsPayload } from "../../core/payloads/sms.ts";
import type { WhatsAppPayload } from "../../core/payloads/whatsapp.ts";
import type { TwilioTemplate } from "../../core/payloads/whatsapp_template.ts";
import type {
  ProviderResult,
  SendOptions,
  SmsProvider,
  WhatsAppProvider,
} from "../../core/ports/providers.ts";
import type { GuardedFetch } from "../outbound/guarded_fetch.ts";
import { ClientCache } from "./_client_cache.ts";
import {
  describeError,
  failure,
  noFunds,
  rateLimited,
  retryAfterMsOf,
  settle,
  temporaryFailure,
  timedOut,
  unreachable,
} from "./_results.ts";
import { FetchTwilioHttpClient, type TwilioSendScope, twilioSendScope } from "./_twilio_http.ts";

/**
 * Twilio error codes whose documented cause is an account without funds (twilio.com/docs/api/errors):
 * 10001 "Account is not active" (balance reached $0), 20005 "Account not active" (out of
 * funds or trial not activated), 30002 "Account suspended" (balance negative). 20003 is left
 * a 502: it means wrong credentials as often as a suspended account, and calling a typo'd
 * auth token "out of funds" would send the operator the wrong way.
 */
const NO_FUNDS_CODES: ReadonlySet<string> = new Set(["10001", "20005", "30002"]);

/** Twilio's "Too Many Requests" (twilio.com/docs/api/errors/20429): wait, then send again. */
const RATE_LIMIT_CODE = "20429";

/** One message as the adapter sends it: free text with media, or a Content template. */
type TwilioOutgoing = { to: string; from: string } & (
  | { body: string; media: string[] | undefined }
  | { template: TwilioTemplate }
);

/** `Body` and `MediaUrl`, or `ContentSid` and `ContentVariables` (JSON text, as Twilio takes it). */
function contentParams(message: TwilioOutgoing): Partial<TwilioMessageParams> {
  if ("template" in message) {
    const { contentSid, variables } = message.template;
    return {
      contentSid,
      ...(variables === undefined ? {} : { contentVariables: JSON.stringify(variables) }),
    };
  }
  return {
    body: message.body,
    ...(message.media === undefined || message.media.length === 0
      ? {}
      : { mediaUrl: message.media }),
  };
}

/** The message parameters the adapter sends. */
export type TwilioMessageParams = MessageListInstanceCreateOptions;

/** The part of the SDK the adapter uses (a `twilio()` client fits). */
export interface TwilioMessagesClient {
  messages: { create(params: TwilioMessageParams): Promise<{ sid: string }> };
}

/** Builds (or reuses) the client for a channel's config. */
export type TwilioClientFor = (channel: Channel) => TwilioMessagesClient;

/** Implements {@linkcode SmsProvider} and {@linkcode WhatsAppProvider} with Twilio. */
export class TwilioProvider implements SmsProvider, WhatsAppProvider {
  readonly #clientFor: TwilioClientFor;

  /**
   * @param options.clientFor the client of a channel, e.g. {@linkcode twilioClients}`()`
   * @example
   * const provider = new TwilioProvider({
   *   clientFor: twilioClients({ fetch: createGuardedFetch({ allowPrivate: false }) }),
   * });
   */
  constructor(options: { clientFor: TwilioClientFor }) {
    this.#clientFor = options.clientFor;
  }

  sendSms(channel: Channel, payload: SmsPayload, options: SendOptions): Promise<ProviderResult> {
    return this.#send(
      channel,
      { to: payload.to, from: channel.address, body: payload.body, media: payload.mediaUrls },
      options,
    );
  }

  sendWhatsApp(
    channel: Channel,
    payload: WhatsAppPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    // The WhatsApp `number` comes without "+"; channel addresses are E.164 with it.
    const to = `whatsapp:+${payload.number}`;
    const from = `whatsapp:${channel.address}`;
    // Core validated the payload against this channel: a template is in Twilio's form.
    const template = payload.template as TwilioTemplate | undefined;
    if (template !== undefined) return this.#send(channel, { to, from, template }, options);
    return this.#send(
      channel,
      { to, from, body: payload.message ?? "", media: payload.files },
      options,
    );
  }

  async #send(
    channel: Channel,
    message: TwilioOutgoing,
    options: SendOptions,
  ): Promise<ProviderResult> {
    let client: TwilioMessagesClient;
    try {
      client = this.#clientFor(channel);
    } catch (error) {
      return failure("twilio", "invalid_config", describeError(error));
    }
    const service = configText(channel.config, "messagingServiceSid");
    const params: TwilioMessageParams = {
      to: message.to,
      // A messaging service picks the sender itself; otherwise the channel's number sends.
      ...(service ? { messagingServiceSid: service } : { from: message.from }),
      ...contentParams(message),
      statusCallback: options.callbackUrl,
    };
    const scope: TwilioSendScope = options.signal === undefined ? {} : { signal: options.signal };
    const call = twilioSendScope.run(scope, () => client.messages.create(params));
    const settled = await settle(call, options.signal);
    if (settled.state === "aborted" || options.signal?.aborted) return timedOut("twilio");
    if (settled.state === "error") return twilioFault(settled.error, scope);
    return { ok: true, providerMessageId: settled.value.sid };
  }
}

/**
 * Clients built with the SDK, one per account, auth token and base URL, each on the guarded
 * `fetch` transport (abortable; `baseUrl` replaces Twilio's origin; its host is checked after
 * DNS at every connection). The SDK's own retries stay off.
 *
 * @param options.fetch the guarded fetch every request goes through
 * @param options.maxClients how many clients to keep (default 256)
 * @returns the factory for {@linkcode TwilioProvider}
 */
export function twilioClients(options: {
  fetch: GuardedFetch;
  maxClients?: number;
}): TwilioClientFor {
  const cache = new ClientCache<TwilioMessagesClient>(options.maxClients);
  return (channel) => {
    const accountSid = configText(channel.config, "accountSid") ?? "";
    const authToken = configText(channel.config, "authToken") ?? "";
    const baseUrl = configText(channel.config, "baseUrl");
    return cache.get(`${accountSid}\u0000${authToken}\u0000${baseUrl ?? ""}`, () =>
      twilio(accountSid, authToken, {
        httpClient: new FetchTwilioHttpClient(baseUrl ?? null, options.fetch),
        autoRetry: false,
      }),
    );
  };
}

/** The SDK throws `RestException` / `TwilioServiceException` with Twilio's numeric `code`. */
function twilioFault(error: unknown, scope: TwilioSendScope): ProviderResult {
  if (typeof error === "object" && error !== null && "status" in error) {
    const { code, status, message } = error as {
      code?: unknown;
      status?: unknown;
      message?: unknown;
    };
    const providerCode =
      typeof code === "number" || typeof code === "string"
        ? String(code)
        : `http_${String(status)}`;
    const text = typeof message === "string" && message !== "" ? message : `HTTP ${String(status)}`;
    if (providerCode === RATE_LIMIT_CODE || status === 429) {
      const wait = retryAfterMsOf(scope.retryAfter, Date.now());
      return rateLimited("twilio", { code: providerCode, message: text }, wait);
    }
    if (NO_FUNDS_CODES.has(providerCode)) return noFunds("twilio", providerCode, text);
    return typeof status === "number" && status >= 500
      ? temporaryFailure("twilio", providerCode, text)
      : failure("twilio", providerCode, text);
  }
  return unreachable("twilio", error);
}
