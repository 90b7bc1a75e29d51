/**
 * The twilio SDK's transport, swapped through its supported `httpClient` option: the guarded
 * fetch instead of axios, so a send can be aborted by the server's provider timeout, every
 * connection goes to an address the address check approved, and a channel's `baseUrl` (a test
 * fake, a proxy) replaces Twilio's origin.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import twilio from "twilio";
import type RequestClient from "twilio/lib/base/RequestClient";
import type TwilioResponse from "twilio/lib/http/response";
import type { GuardedFetch } from "../outbound/guarded_fetch.ts";

/**
 * The abort signal of the send running in this async context. The SDK's `messages.create`
 * takes no signal, so the adapter sets it around the call and the transport reads it here.
 */
export const twilioSendScope: AsyncLocalStorage<TwilioSendScope> = new AsyncLocalStorage();

/**
 * What one send shares with the transport: the abort signal going in, and coming out the
 * `Retry-After` of a 429 answer (the SDK's `RestException` carries no headers).
 */
export interface TwilioSendScope {
  signal?: AbortSignal;
  retryAfter?: string;
}

/** A twilio `RequestClient` over a guarded `fetch`, for one base URL. */
export class FetchTwilioHttpClient extends twilio.RequestClient {
  readonly #baseUrl: string | null;
  readonly #fetch: GuardedFetch;

  /**
   * @param baseUrl replaces the SDK's `https://api.twilio.com` origin; `null` keeps it
   * @param fetch the guarded fetch every request goes through
   */
  constructor(baseUrl: string | null, fetch: GuardedFetch) {
    super();
    this.#baseUrl = baseUrl === null ? null : baseUrl.replace(/\/+$/, "");
    this.#fetch = fetch;
  }

  override async request<TData>(
    opts: RequestClient.RequestOptions<TData>,
  ): Promise<TwilioResponse<TData>> {
    const target = new URL(opts.uri);
    const url =
      this.#baseUrl === null ? target : new URL(this.#baseUrl + target.pathname + target.search);
    appendParams(url.searchParams, opts.params);
    const headers = new Headers(opts.headers as Record<string, string> | undefined);
    if (opts.username !== undefined && opts.password !== undefined) {
      headers.set("Authorization", `Basic ${btoa(`${opts.username}:${opts.password}`)}`);
    }
    let body: string | undefined;
    if (opts.data !== undefined && opts.data !== null) {
      const form = new URLSearchParams();
      appendParams(form, opts.data);
      body = form.toString();
    }
    const scope = twilioSendScope.getStore();
    const signal = scope?.signal;
    const response = await this.#fetch(url, {
      method: opts.method.toUpperCase(),
      headers,
      redirect: opts.allowRedirects ? "follow" : "manual",
      ...(body === undefined ? {} : { body }),
      ...(signal === undefined ? {} : { signal }),
    });
    const text = await response.text();
    const retryAfter = response.headers.get("retry-after");
    if (scope !== undefined && response.status === 429 && retryAfter !== null) {
      scope.retryAfter = retryAfter;
    }
    // The SDK parses string bodies itself (JSON on success, RestException on errors).
    return {
      statusCode: response.status,
      body: text as TData,
      headers: Object.fromEntries(response.headers),
    } as TwilioResponse<TData>;
  }
}

/** Form/query encoding as the SDK's own client does it: arrays repeat their key. */
function appendParams(target: URLSearchParams, values: unknown): void {
  if (values === null || typeof values !== "object") return;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) target.append(key, String(item));
  }
}
