/**
 * A fake of the WhatsApp Cloud API's `POST /{version}/{phone-number-id}/messages`
 * (docs/providers.md#meta): checks `Authorization: Bearer <token>`, answers
 * `{ messaging_product, contacts, messages: [{ id }] }`, or the Graph API's error shape
 * `{ error: { message, type, code, error_data, fbtrace_id } }`.
 *
 * It also behaves as the Cloud API does (developers.facebook.com, WhatsApp error codes):
 * free text to a contact who has not written in 24 hours is accepted, then fails through a
 * status webhook with 131047; a template is checked against the approved ones (132001 unknown
 * name or language, 132000 wrong parameter count, 132015 paused) and, to a user who stopped
 * marketing messages, fails later with 131050. Its webhooks are signed as Meta signs them:
 * HMAC-SHA256 with the app secret over the payload with non-ASCII characters escaped (`\u00e1`),
 * while the body itself goes as UTF-8.
 */
import { createHmac } from "node:crypto";
import { Callbacks } from "./callbacks.ts";
import { type FakeAnswer, FakeServer } from "./fake_server.ts";

/** Cloud API error codes the tests use (developers.facebook.com, WhatsApp error codes). */
export const META_ERRORS = {
  100: { status: 400, title: "Invalid parameter", details: "Parameter value is not valid" },
  190: { status: 401, title: "Invalid OAuth access token", details: "" },
  130429: {
    status: 429,
    title: "Rate limit hit",
    details: "Cloud API message throughput has been reached.",
  },
  131000: {
    status: 500,
    title: "Something went wrong",
    details: "Message failed to send due to an unknown error.",
  },
  131026: { status: 400, title: "Message undeliverable", details: "Unable to deliver message." },
  131042: {
    status: 400,
    title: "Business eligibility payment issue",
    details:
      "Message failed to send because there were one or more errors related to your payment method.",
  },
  131047: {
    status: 400,
    title: "Re-engagement message",
    details:
      "Message failed to send because more than 24 hours have passed since the customer last replied to this number.",
  },
  131050: {
    status: 400,
    title: "Unable to deliver the message",
    details:
      "This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.",
  },
  132000: {
    status: 400,
    title: "Template Param Count Mismatch",
    details:
      "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template.",
  },
  132001: {
    status: 404,
    title: "Template does not exist",
    details:
      "The template does not exist in the specified language or the template has not been approved.",
  },
  132015: {
    status: 400,
    title: "Template is Paused",
    details: "Template is paused due to low quality so it cannot be sent in a template message.",
  },
} as const;

export type MetaErrorCode = keyof typeof META_ERRORS;

/** An approved template as the fake knows it. */
export interface FakeTemplate {
  language: string;
  /** Parameters its body expects. */
  bodyParameters: number;
  status: "APPROVED" | "PAUSED";
}

const WINDOW_MS = 24 * 60 * 60 * 1000;

/** The Graph API's error answer for `code`. */
export function metaError(code: MetaErrorCode): FakeAnswer {
  const { status, title, details } = META_ERRORS[code];
  return {
    status,
    json: {
      error: {
        message: `(#${code}) ${title}`,
        type: "OAuthException",
        code,
        ...(details === "" ? {} : { error_data: { messaging_product: "whatsapp", details } }),
        fbtrace_id: "AazPqe0sNkzF3yqWHhRv1Xz",
      },
    },
  };
}

/** Meta's signature of a webhook payload: over its `\u`-escaped form. */
export function metaSignature(appSecret: string, body: string): string {
  const escaped = body.replace(
    /[^\u0000-\u007f]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return `sha256=${createHmac("sha256", appSecret).update(escaped).digest("hex")}`;
}

/** A running Cloud API fake for one phone number. */
export class MetaFake extends FakeServer {
  /** When each contact (digits) last wrote, by {@linkcode now}. */
  readonly lastInbound = new Map<string, number>();
  /** Approved templates by name. */
  readonly templates = new Map<string, FakeTemplate>();
  /** Users (digits) who stopped marketing messages from the business. */
  readonly stoppedMarketing = new Set<string>();
  /** Where the app's webhook posts go, and the app secret that signs them. */
  webhook: { url: string; appSecret: string } | null = null;
  /** The fake's clock. */
  now: () => number = Date.now;
  readonly callbacks = new Callbacks();

  /**
   * @param phoneNumberId the phone number id the fake serves
   * @param accessToken the only bearer token it accepts
   * @param apiVersion the Graph API version in the path
   */
  constructor(
    readonly phoneNumberId: string,
    readonly accessToken: string,
    readonly apiVersion: string,
  ) {
    let sent = 0;
    const state: { fake?: MetaFake } = {};
    super((request) => {
      if (request.headers.get("authorization") !== `Bearer ${accessToken}`) return metaError(190);
      if (
        request.method !== "POST" ||
        request.path !== `/${apiVersion}/${phoneNumberId}/messages`
      ) {
        return metaError(100);
      }
      const body = JSON.parse(request.body) as Record<string, any>;
      const fake = state.fake!;
      const refused = fake.#templateError(body);
      if (refused !== null) return metaError(refused);
      sent += 1;
      const id = `wamid.HBgN${String(sent).padStart(8, "0")}`;
      fake.#afterSend(body, id);
      return {
        status: 200,
        json: {
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id }],
        },
      };
    });
    state.fake = this;
  }

  /** The JSON body of every send received. */
  sends(): Record<string, any>[] {
    return this.requests.filter((r) => r.path.endsWith("/messages")).map((r) => JSON.parse(r.body));
  }

  /**
   * A contact writes: the window opens, and the `messages` webhook is posted.
   *
   * @returns the status the server answered, once it has
   */
  inbound(from: string, text: string, options: { at?: number } = {}): Promise<number> | undefined {
    const at = options.at ?? this.now();
    this.lastInbound.set(from, at);
    return this.#post({
      contacts: [{ profile: { name: "Contact" }, wa_id: from }],
      messages: [
        {
          from,
          id: `wamid.IN${crypto.randomUUID().replaceAll("-", "")}`,
          timestamp: String(Math.floor(at / 1000)),
          type: "text",
          text: { body: text },
        },
      ],
    });
  }

  /** Posts one status of a sent message, as the Cloud API reports it. */
  status(
    id: string,
    recipient: string,
    status: "sent" | "delivered" | "read" | "failed",
    error?: MetaErrorCode,
  ): Promise<number> | undefined {
    const errors =
      error === undefined
        ? {}
        : {
            errors: [
              {
                code: error,
                title: META_ERRORS[error].title,
                message: META_ERRORS[error].title,
                error_data: { details: META_ERRORS[error].details },
              },
            ],
          };
    return this.#post(
      {
        statuses: [
          {
            id,
            status,
            timestamp: String(Math.floor(this.now() / 1000)),
            recipient_id: recipient,
            ...errors,
          },
        ],
      },
      20,
    );
  }

  /** 132001, 132000 or 132015 for a template the business may not send as given. */
  #templateError(body: Record<string, any>): MetaErrorCode | null {
    if (body.type !== "template") return null;
    const template = this.templates.get(body.template?.name);
    if (template === undefined || template.language !== body.template?.language?.code)
      return 132001;
    if (template.status === "PAUSED") return 132015;
    const components: Record<string, any>[] = body.template?.components ?? [];
    const bodyParameters = components
      .filter((c) => c.type === "body")
      .reduce((n, c) => n + (c.parameters?.length ?? 0), 0);
    return bodyParameters === template.bodyParameters ? null : 132000;
  }

  /** What the Cloud API reports later about an accepted message. */
  #afterSend(body: Record<string, any>, id: string): void {
    const to = String(body.to);
    if (body.type === "template") {
      if (this.stoppedMarketing.has(to)) this.status(id, to, "failed", 131050);
      return;
    }
    const last = this.lastInbound.get(to);
    if (last === undefined || this.now() - last >= WINDOW_MS) this.status(id, to, "failed", 131047);
  }

  #post(value: Record<string, unknown>, delayMs = 0): Promise<number> | undefined {
    if (this.webhook === null) return undefined;
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
                  phone_number_id: this.phoneNumberId,
                },
                ...value,
              },
            },
          ],
        },
      ],
    });
    const headers = {
      "content-type": "application/json",
      "x-hub-signature-256": metaSignature(this.webhook.appSecret, body),
    };
    return this.callbacks.post(this.webhook.url, { body, headers }, delayMs);
  }
}
