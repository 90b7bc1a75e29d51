/**
 * A fake of the WhatsApp Cloud API's `POST /{version}/{phone-number-id}/messages`
 * (PROVIDERS.md "Meta"): checks `Authorization: Bearer <token>`, answers
 * `{ messaging_product, contacts, messages: [{ id }] }`, or the Graph API's error shape
 * `{ error: { message, type, code, error_data, fbtrace_id } }`.
 */
import { type FakeAnswer, FakeServer } from "./_fake_server.ts";

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
} as const;

export type MetaErrorCode = keyof typeof META_ERRORS;

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

/** A running Cloud API fake for one phone number. */
export class MetaFake extends FakeServer {
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
    super((request) => {
      if (request.headers.get("authorization") !== `Bearer ${accessToken}`) return metaError(190);
      if (
        request.method !== "POST" ||
        request.path !== `/${apiVersion}/${phoneNumberId}/messages`
      ) {
        return metaError(100);
      }
      sent += 1;
      const body = JSON.parse(request.body) as { to: string };
      return {
        status: 200,
        json: {
          messaging_product: "whatsapp",
          contacts: [{ input: body.to, wa_id: body.to }],
          messages: [{ id: `wamid.HBgN${String(sent).padStart(8, "0")}` }],
        },
      };
    });
  }

  /** The JSON body of every send received. */
  sends(): Record<string, any>[] {
    return this.requests.filter((r) => r.path.endsWith("/messages")).map((r) => JSON.parse(r.body));
  }
}
