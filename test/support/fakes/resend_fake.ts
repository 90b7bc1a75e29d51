/**
 * A fake of Resend's `POST /emails` (docs/providers.md#resend): checks `Authorization: Bearer
 * <key>`, records the e-mails, answers `{ id }`, and can answer with Resend's real errors
 * (`{ statusCode, message, name }`, resend.com/docs/api-reference/errors).
 *
 * Its events go out as Resend's do: through Svix, signed by the `svix` library under the
 * `svix-id`, `svix-timestamp`, `svix-signature` headers. Resend's test addresses
 * (resend.com/docs/dashboard/emails/send-test-emails) act as documented: `delivered@resend.dev`
 * is delivered, `bounced@` bounces permanently, `complained@` is delivered then marked as spam,
 * `suppressed@` is refused as suppressed (`+label` variants alike).
 */
import { Webhook } from "svix";
import { Callbacks } from "./callbacks.ts";
import { type FakeAnswer, FakeServer } from "./fake_server.ts";

/** Resend's test addresses and the events each one causes after a send, in order. */
const TEST_ADDRESS = /^(delivered|bounced|complained|suppressed)(\+[^@]*)?@resend\.dev$/;
const TEST_EVENTS: Readonly<Record<string, readonly string[]>> = {
  delivered: ["email.sent", "email.delivered"],
  bounced: ["email.sent", "email.bounced"],
  complained: ["email.sent", "email.delivered", "email.complained"],
  suppressed: ["email.suppressed"],
};

/** Resend's error names and their HTTP statuses. */
export const RESEND_ERRORS = {
  validation_error: { status: 400, message: "Invalid `to` field." },
  missing_api_key: { status: 401, message: "Missing API key in the authorization header." },
  restricted_api_key: { status: 401, message: "This API key is restricted to only send emails." },
  invalid_api_key: { status: 403, message: "API key is invalid." },
  not_found: { status: 404, message: "The requested endpoint does not exist." },
  invalid_idempotent_request: {
    status: 409,
    message: "Same idempotency key used with a different request payload.",
  },
  missing_required_field: { status: 422, message: "Missing `subject` field." },
  invalid_from_address: { status: 422, message: "Invalid `from` field." },
  invalid_parameter: { status: 422, message: "Invalid parameter." },
  rate_limit_exceeded: {
    status: 429,
    message: "Too many requests. Please limit the number of requests per second.",
  },
  daily_quota_exceeded: {
    status: 429,
    message: "You have reached your daily email sending quota.",
  },
  monthly_quota_exceeded: {
    status: 429,
    message: "You have reached your monthly email sending quota.",
  },
  application_error: { status: 500, message: "An unexpected error occurred." },
  internal_server_error: { status: 500, message: "An unexpected error occurred." },
} as const;

export type ResendErrorName = keyof typeof RESEND_ERRORS;

/** Resend's error answer for `name`. */
export function resendError(name: ResendErrorName): FakeAnswer {
  const { status, message } = RESEND_ERRORS[name];
  return { status, json: { statusCode: status, message, name } };
}

/** A running Resend fake; `emails` are the accepted sends' JSON bodies. */
export class ResendFake extends FakeServer {
  /** The webhook endpoint configured at Resend, and its signing secret (`whsec_…`). */
  webhook: { url: string; secret: string } | null = null;
  readonly callbacks = new Callbacks();

  /**
   * The e-mails sent, by `Idempotency-Key`: as Resend does (resend.com/docs/dashboard/emails/
   * idempotency-keys), a repeat of a key with the same body within 24 hours answers the first
   * e-mail's id and sends nothing; with another body it is a 409 `invalid_idempotent_request`.
   */
  readonly sentByKey = new Map<string, { id: string; body: string }>();
  /** How many e-mails actually went out (repeats of a key not counted). */
  sentCount = 0;
  /** Delays every answer (the e-mail is sent at once): a slow API, or an answer lost to a crash. */
  answerDelayMs = 0;

  /** @param apiKey the only key the fake accepts */
  constructor(readonly apiKey: string) {
    const state: { fake?: ResendFake } = {};
    super((request) => {
      const auth = request.headers.get("authorization");
      if (auth === null) return resendError("missing_api_key");
      if (auth !== `Bearer ${apiKey}`) return resendError("invalid_api_key");
      if (request.method !== "POST" || request.path !== "/emails") return resendError("not_found");
      return state.fake!.#send(request.headers.get("idempotency-key"), request.body);
    });
    state.fake = this;
  }

  /** Forgets recorded requests, the script and the keys seen. */
  override reset(): void {
    super.reset();
    this.sentByKey.clear();
    this.sentCount = 0;
    this.answerDelayMs = 0;
  }

  #send(key: string | null, body: string): FakeAnswer {
    const first = key === null ? undefined : this.sentByKey.get(key);
    if (first !== undefined) {
      return first.body === body
        ? { status: 200, json: { id: first.id }, delayMs: this.answerDelayMs }
        : resendError("invalid_idempotent_request");
    }
    this.sentCount += 1;
    const id = `4ef9a417-02e9-4d39-ad75-${String(this.sentCount).padStart(12, "0")}`;
    if (key !== null) this.sentByKey.set(key, { id, body });
    this.#afterSend(id, JSON.parse(body));
    return { status: 200, json: { id }, delayMs: this.answerDelayMs };
  }

  /** The JSON body of every `POST /emails` received. */
  emails(): Record<string, any>[] {
    return this.requests.filter((r) => r.path === "/emails").map((r) => JSON.parse(r.body));
  }

  /**
   * Posts one event to the webhook, signed by Svix's library.
   *
   * @param type e.g. `email.complained`
   * @param data the event's `data`
   * @param options.spelling `svix` (what Resend sends) or `webhook` (white-labelled Svix)
   * @returns the status the server answered, once it has
   */
  emit(
    type: string,
    data: Record<string, unknown>,
    options: { spelling?: "svix" | "webhook"; delayMs?: number } = {},
  ): Promise<number> | undefined {
    if (this.webhook === null) return undefined;
    const body = JSON.stringify({ type, created_at: new Date().toISOString(), data });
    const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
    const at = new Date();
    const signature = new Webhook(this.webhook.secret).sign(id, at, body);
    const prefix = options.spelling ?? "svix";
    const headers = {
      "content-type": "application/json",
      [`${prefix}-id`]: id,
      [`${prefix}-timestamp`]: String(Math.floor(at.getTime() / 1000)),
      [`${prefix}-signature`]: signature,
    };
    return this.callbacks.post(this.webhook.url, { body, headers }, options.delayMs ?? 0);
  }

  /** The events Resend's test addresses cause, one after the other. */
  #afterSend(id: string, email: Record<string, any>): void {
    const to: string[] = typeof email.to === "string" ? [email.to] : (email.to ?? []);
    const kind = to.map((address) => TEST_ADDRESS.exec(address)?.[1]).find(Boolean);
    if (kind === undefined) return;
    const data = {
      email_id: id,
      created_at: new Date().toISOString(),
      from: email.from,
      to,
      subject: email.subject,
    };
    let delayMs = 20;
    for (const type of TEST_EVENTS[kind] ?? []) {
      this.emit(type, { ...data, ...eventDetail(type) }, { delayMs });
      delayMs += 20;
    }
  }
}

/** The details Resend adds to a bounce or a suppression (its SDK's event types). */
function eventDetail(type: string): Record<string, unknown> {
  if (type === "email.bounced") {
    const bounce = { message: "The mailbox does not exist", subType: "General", type: "Permanent" };
    return { bounce };
  }
  if (type === "email.suppressed") {
    return { suppressed: { message: "The address is on the suppression list", type: "bounce" } };
  }
  return {};
}
