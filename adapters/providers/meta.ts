/**
 * WhatsApp through Meta's Cloud API (docs/providers.md) over `fetch` (Meta ships no Node SDK):
 * `POST {baseUrl}/{apiVersion}/{phoneNumberId}/messages`, the text first, then one media
 * message per file; a template as one `type: "template"` message.
 *
 * @module
 */
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import type { WhatsAppPayload } from "../../core/payloads/whatsapp.ts";
import type { MetaTemplate } from "../../core/payloads/whatsapp_template.ts";
import type { ProviderResult, SendOptions, WhatsAppProvider } from "../../core/ports/providers.ts";
import { mediaMessage } from "./_meta_media.ts";
import {
  failure,
  noFunds,
  rateLimited,
  retryAfterMsOf,
  temporaryFailure,
  timedOut,
  unreachable,
} from "./_results.ts";

/** The Graph API, used when a channel's config has no `baseUrl`. */
export const META_DEFAULT_BASE_URL = "https://graph.facebook.com";
/** The Graph API version, used when a channel's config has no `apiVersion`. */
export const META_DEFAULT_API_VERSION = "v23.0";

/**
 * Cloud API error codes meaning the business cannot pay for messages: 131042 "Business
 * eligibility payment issue" (no valid payment method, credit line over its limit). 402.
 */
const NO_FUNDS_CODES: ReadonlySet<string> = new Set(["131042"]);

/** Cloud API 130429 "Rate limit hit" (the number's throughput): wait, then send again. */
const RATE_LIMIT_CODE = "130429";

/** The HTTP client: `fetch` itself in production. */
export type MetaFetch = (url: string, init: RequestInit) => Promise<Response>;

/** Implements {@linkcode WhatsAppProvider} with Meta's Cloud API. */
export class MetaWhatsAppProvider implements WhatsAppProvider {
  readonly #fetch: MetaFetch;

  /**
   * @param options.fetch the HTTP client: the guarded fetch, so the base URL's host is checked
   *   after DNS at every connection
   * @example
   * const meta = new MetaWhatsAppProvider({ fetch: createGuardedFetch({ allowPrivate: false }) });
   */
  constructor(options: { fetch: MetaFetch }) {
    this.#fetch = options.fetch;
  }

  async sendWhatsApp(
    channel: Channel,
    payload: WhatsAppPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    const phoneNumberId = configText(channel.config, "phoneNumberId");
    const accessToken = configText(channel.config, "accessToken");
    if (!phoneNumberId || !accessToken) {
      return failure("meta", "invalid_config", "The channel has no phoneNumberId or accessToken");
    }
    const base = (configText(channel.config, "baseUrl") ?? META_DEFAULT_BASE_URL).replace(
      /\/+$/,
      "",
    );
    const version = configText(channel.config, "apiVersion") ?? META_DEFAULT_API_VERSION;
    const url = `${base}/${version}/${encodeURIComponent(phoneNumberId)}/messages`;
    const envelope = {
      messaging_product: "whatsapp",
      recipient_type: "individual",
      to: payload.number,
    };
    // Core validated the payload against this channel: a template is in Meta's form.
    const template = payload.template as MetaTemplate | undefined;
    const bodies: Record<string, unknown>[] =
      template === undefined
        ? [
            { ...envelope, type: "text", text: { body: payload.message, preview_url: false } },
            ...(payload.files ?? []).map((file) => ({ ...envelope, ...mediaMessage(file) })),
          ]
        : [{ ...envelope, type: "template", template: templateMessage(template) }];

    let firstId: string | null = null;
    for (const [index, body] of bodies.entries()) {
      const result = await this.#post(url, accessToken, body, options.signal);
      if (!result.ok) {
        if (firstId === null) return result;
        // The text already went out and the Cloud API has no idempotency key: say exactly what
        // happened, since a retry by the caller sends the text again (so no retry here either:
        // neither rate-limited nor temporary).
        return {
          ok: false,
          code: result.code,
          fault: {
            ...result.fault,
            message: `${result.fault.message} (file ${index} of ${bodies.length - 1} was refused after the text ${firstId} was sent)`,
          },
        };
      }
      firstId ??= result.providerMessageId;
    }
    return { ok: true, providerMessageId: firstId ?? "" };
  }

  async #post(
    url: string,
    accessToken: string,
    body: Record<string, unknown>,
    signal: AbortSignal | undefined,
  ): Promise<ProviderResult> {
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        redirect: "manual",
        ...(signal === undefined ? {} : { signal }),
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) return timedOut("meta");
      return unreachable("meta", error);
    }
    const parsed = parseJson(text);
    if (response.ok) {
      const id = firstMessageId(parsed);
      return id === null
        ? failure("meta", "invalid_response", "Meta answered without a message id")
        : { ok: true, providerMessageId: id };
    }
    return metaFault(response, parsed);
  }
}

/** A template as the Cloud API takes it: the locale as `language.code`, components as given. */
function templateMessage(template: MetaTemplate): Record<string, unknown> {
  return {
    name: template.name,
    language: { code: template.language },
    ...(template.components === undefined ? {} : { components: template.components }),
  };
}

/** Graph API errors: `{ error: { message, type, code, error_subcode?, error_data: { details } } }`. */
function metaFault(response: Response, body: unknown): ProviderResult {
  const { status } = response;
  const error = isObject(body) && isObject(body.error) ? body.error : null;
  if (error === null || (typeof error.code !== "number" && typeof error.code !== "string")) {
    const fault = [`http_${status}`, `Meta answered HTTP ${status}`] as const;
    return status >= 500 ? temporaryFailure("meta", ...fault) : failure("meta", ...fault);
  }
  const code = String(error.code);
  const details = isObject(error.error_data) ? error.error_data.details : undefined;
  const message =
    typeof details === "string" && details !== ""
      ? details
      : typeof error.message === "string"
        ? error.message
        : `Meta answered HTTP ${status}`;
  if (code === RATE_LIMIT_CODE) {
    const wait = retryAfterMsOf(response.headers.get("retry-after"), Date.now());
    return rateLimited("meta", { code, message }, wait);
  }
  if (NO_FUNDS_CODES.has(code)) return noFunds("meta", code, message);
  return status >= 500 ? temporaryFailure("meta", code, message) : failure("meta", code, message);
}

function firstMessageId(body: unknown): string | null {
  if (!isObject(body) || !Array.isArray(body.messages)) return null;
  const first: unknown = body.messages[0];
  return isObject(first) && typeof first.id === "string" ? first.id : null;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
