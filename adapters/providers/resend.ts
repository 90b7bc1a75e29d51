/**
 * E-mail through Resend (docs/providers.md) with the `resend` SDK: one `POST /emails` per send, our
 * idempotency key passed through, the SDK's `{ data, error }` answer mapped to a
 * {@linkcode ProviderResult}. Copies, reply-to addresses, headers, tags and attachments go in
 * the SDK's own fields (on the wire `cc`, `reply_to`, `headers`, `tags`, `attachments` with
 * `content`, `filename`, `content_type`, `content_id`); a file fetched by URL goes as base64
 * `content`, since Resend cannot reach what only the address check may fetch.
 *
 * @module
 */
import type { Resend } from "resend";
import { configText } from "../../core/channel_config.ts";
import type { Channel } from "../../core/domain.ts";
import type { EmailPayload } from "../../core/payloads/email.ts";
import type {
  EmailAttachment,
  EmailProvider,
  ProviderResult,
  SendOptions,
} from "../../core/ports/providers.ts";
import { findAttachmentError } from "../attachments/attachment_stream_error.ts";
import { sendableAttachments } from "../attachments/sendable_attachments.ts";
import type { GuardedFetch } from "../outbound/guarded_fetch.ts";
import { base64Of } from "./_base64_stream.ts";
import { ClientCache } from "./_client_cache.ts";
import { GuardedResend } from "./_resend_client.ts";
import { resendIdempotencyKey } from "./_resend_idempotency.ts";
import {
  describeError,
  failure,
  noFunds,
  rateLimited,
  retryAfterMsOf,
  settle,
  temporaryFailure,
  timedOut,
} from "./_results.ts";

/** Resend's API, used when a channel's config has no `baseUrl`. */
export const RESEND_DEFAULT_BASE_URL = "https://api.resend.com";

/** Resend's own error names for an account out of sending quota: 402 rather than 502. */
const QUOTA_ERRORS: ReadonlySet<string> = new Set([
  "daily_quota_exceeded",
  "monthly_quota_exceeded",
]);

/** Resend's error name for a request over the team's rate limit: wait, then send again. */
const RATE_LIMIT_ERROR = "rate_limit_exceeded";

/** The part of the SDK the adapter uses (a `Resend` instance fits). */
export interface ResendEmailClient {
  emails: Pick<Resend["emails"], "send">;
}

/** Builds (or reuses) the client for a channel's config. */
export type ResendClientFor = (channel: Channel) => ResendEmailClient;

/** Implements {@linkcode EmailProvider} with Resend. */
export class ResendEmailProvider implements EmailProvider {
  readonly #clientFor: ResendClientFor;

  /**
   * @param options.clientFor the client of a channel, e.g. {@linkcode resendClients}`()`
   * @example
   * const resend = new ResendEmailProvider({
   *   clientFor: resendClients({ fetch: createGuardedFetch({ allowPrivate: false }) }),
   * });
   */
  constructor(options: { clientFor: ResendClientFor }) {
    this.#clientFor = options.clientFor;
  }

  async sendEmail(
    channel: Channel,
    payload: EmailPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    let client: ResendEmailClient;
    try {
      client = this.#clientFor(channel);
    } catch (error) {
      return failure("resend", "invalid_config", describeError(error));
    }
    const idempotencyKey =
      options.idempotencyKey === undefined
        ? undefined
        : await resendIdempotencyKey(options.idempotencyKey);
    let email: ResendEmail;
    try {
      email = await resendEmail(channel, payload, sendableAttachments(payload, options));
    } catch (error) {
      const attachment = findAttachmentError(error);
      if (attachment === null) throw error;
      return {
        ok: false,
        code: "FAILURE",
        fault: { name: "resend", code: attachment.faultCode, message: attachment.message },
        temporary: attachment.temporary,
      };
    }
    const call = client.emails.send(email, {
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const settled = await settle(call, options.signal);
    // The SDK reports an aborted fetch as a network `application_error`: the signal tells which.
    if (settled.state === "aborted" || options.signal?.aborted) return timedOut("resend");
    if (settled.state === "error") {
      return failure("resend", "application_error", describeError(settled.error));
    }
    const { data, error, headers } = settled.value;
    if (error !== null) {
      const message = error.message || "Resend refused the e-mail";
      // Every fault carries a code, even when an answer named none.
      const name: unknown = error.name;
      const code = typeof name === "string" && name !== "" ? name : "unknown_error";
      if (code === RATE_LIMIT_ERROR) {
        const wait = retryAfterMsOf(headers?.["retry-after"], Date.now());
        return rateLimited("resend", { code, message }, wait);
      }
      if (QUOTA_ERRORS.has(code)) return noFunds("resend", code, message);
      // A 5xx, or no answer at all (statusCode null): a later try may succeed.
      const status = error.statusCode;
      return status === null || status >= 500
        ? temporaryFailure("resend", code, message)
        : failure("resend", code, message);
    }
    if (typeof data?.id !== "string") {
      return failure("resend", "invalid_response", "Resend answered without an e-mail id");
    }
    return { ok: true, providerMessageId: data.id };
  }
}

/**
 * Clients built with the SDK, one per API key and base URL, each sending through the guarded
 * fetch (the base URL's host is checked after DNS at every connection). The base URL is always
 * passed, so the SDK's own `RESEND_BASE_URL` environment variable never redirects a channel
 * silently.
 *
 * @param options.fetch the guarded fetch every request goes through
 * @param options.maxClients how many clients to keep (default 256)
 * @returns the factory for {@linkcode ResendEmailProvider}
 */
export function resendClients(options: {
  fetch: GuardedFetch;
  maxClients?: number;
}): ResendClientFor {
  const cache = new ClientCache<Resend>(options.maxClients);
  return (channel) => {
    const apiKey = configText(channel.config, "apiKey") ?? "";
    const baseUrl = (configText(channel.config, "baseUrl") ?? RESEND_DEFAULT_BASE_URL).replace(
      /\/+$/,
      "",
    );
    return cache.get(
      `${apiKey}\u0000${baseUrl}`,
      () => new GuardedResend(apiKey, { baseUrl, fetch: options.fetch }),
    );
  };
}

type ResendEmail = Parameters<Resend["emails"]["send"]>[0];

/** Our e-mail payload in Resend's words; the sender is always the channel's address. */
async function resendEmail(
  channel: Channel,
  payload: EmailPayload,
  attachments: readonly EmailAttachment[],
): Promise<ResendEmail> {
  const headers: Record<string, string> = { ...payload.headers };
  if (payload.inReplyTo !== undefined) headers["In-Reply-To"] = payload.inReplyTo;
  const references = list(payload.references);
  if (references.length > 0) headers.References = references.join(" ");
  const cc = list(payload.cc);
  const bcc = list(payload.bcc);
  const replyTo = list(payload.replyTo);
  return {
    from:
      payload.fromName === undefined ? channel.address : `${payload.fromName} <${channel.address}>`,
    to: list(payload.to),
    subject: payload.subject,
    // The validator normalizes `body` into `html`; either may reach here from other callers.
    html: payload.html ?? payload.body ?? "",
    ...(payload.text === undefined ? {} : { text: payload.text }),
    ...(cc.length === 0 ? {} : { cc }),
    ...(bcc.length === 0 ? {} : { bcc }),
    ...(replyTo.length === 0 ? {} : { replyTo }),
    ...(Object.keys(headers).length === 0 ? {} : { headers }),
    ...(payload.tags === undefined || payload.tags.length === 0 ? {} : { tags: payload.tags }),
    ...(attachments.length === 0
      ? {}
      : { attachments: await Promise.all(attachments.map(resendAttachment)) }),
  };
}

type ResendAttachment = NonNullable<ResendEmail["attachments"]>[number];

async function resendAttachment(attachment: EmailAttachment): Promise<ResendAttachment> {
  const { filename, contentType, contentId, content } = attachment;
  return {
    filename,
    content: "base64" in content ? content.base64 : await base64Of(content.stream),
    ...(contentType === undefined ? {} : { contentType }),
    ...(contentId === undefined ? {} : { contentId }),
  };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}
