/**
 * A fake of Twilio's Messages API (docs/providers.md#twilio):
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic
 * `AccountSid:AuthToken`; answers 201 with a message resource, or Twilio's real error shape
 * `{ code, message, more_info, status }`.
 *
 * It also behaves as Twilio does about consent (twilio.com/docs/api/errors): a number that
 * replied STOP is opted out and a send to it fails at once with 21610 (START opts it back in);
 * a WhatsApp free-form `Body` to a contact who has not written in 24 hours is accepted, then
 * fails through its status callback with 63016, while a `ContentSid` template goes out. Its
 * callbacks are signed as Twilio signs them, with the SDK's `getExpectedTwilioSignature`.
 */
import { getExpectedTwilioSignature } from "twilio/lib/webhooks/webhooks";
import { Callbacks } from "./callbacks.ts";
import { type FakeAnswer, FakeServer, type RecordedRequest } from "./fake_server.ts";

/**
 * Twilio error codes the tests use, with the message Twilio sends (twilio.com/docs/api/errors).
 * The HTTP statuses of 10001, 20005 and 30002 on the REST API are not documented: the adapter
 * maps by `code`, so the status here does not matter.
 */
export const TWILIO_ERRORS = {
  10001: { status: 401, message: "Account is not active" },
  20003: { status: 401, message: "Authenticate" },
  20005: { status: 401, message: "Account not active" },
  20429: { status: 429, message: "Too Many Requests" },
  20500: { status: 500, message: "Internal Server Error" },
  30002: { status: 403, message: "Account suspended" },
  21211: { status: 400, message: "Invalid 'To' Phone Number: +1555" },
  21606: {
    status: 400,
    message:
      "The From phone number +15005550009 is not a valid, SMS-capable inbound phone number or short code for your account.",
  },
  21610: { status: 400, message: "Attempt to send to unsubscribed recipient" },
} as const;

export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

/** WhatsApp's customer-service window. */
const WINDOW_MS = 24 * 60 * 60 * 1000;
/** The words Twilio's opt-out handling acts on. */
const STOP_WORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
const START_WORDS = ["START", "UNSTOP", "YES"];

/** Twilio's error answer for `code`. */
export function twilioError(code: TwilioErrorCode): FakeAnswer {
  const { status, message } = TWILIO_ERRORS[code];
  return {
    status,
    json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
  };
}

/** A running Twilio fake for one account. */
export class TwilioFake extends FakeServer {
  /** `To` values (`+1…`, `whatsapp:+1…`) that replied STOP: sends to them fail with 21610. */
  readonly optedOut = new Set<string>();
  /** When each WhatsApp contact (`whatsapp:+1…`) last wrote, by {@linkcode now}. */
  readonly lastInbound = new Map<string, number>();
  /** The fake's clock. */
  now: () => number = Date.now;
  /** Status callbacks and inbound webhooks it posts. */
  readonly callbacks = new Callbacks();

  /**
   * @param accountSid the account the fake serves
   * @param authToken its auth token (HTTP Basic password)
   */
  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {
    let sent = 0;
    const state: { fake?: TwilioFake } = {};
    super((request) => {
      const expected = `Basic ${btoa(`${accountSid}:${authToken}`)}`;
      if (request.headers.get("authorization") !== expected) return twilioError(20003);
      if (
        request.method !== "POST" ||
        request.path !== `/2010-04-01/Accounts/${accountSid}/Messages.json`
      ) {
        return {
          status: 404,
          json: { code: 20404, message: "The requested resource was not found", status: 404 },
        };
      }
      const form = new URLSearchParams(request.body);
      const fake = state.fake!;
      if (fake.optedOut.has(form.get("To") ?? "")) return twilioError(21610);
      sent += 1;
      const sid = `SM${String(sent).padStart(32, "0")}`;
      fake.#afterCreate(form, sid);
      return {
        status: 201,
        json: {
          sid,
          account_sid: accountSid,
          to: form.get("To"),
          from: form.get("From"),
          messaging_service_sid: form.get("MessagingServiceSid"),
          body: form.get("Body"),
          status: "queued",
          num_media: String(form.getAll("MediaUrl").length),
          direction: "outbound-api",
          api_version: "2010-04-01",
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
        },
      };
    });
    state.fake = this;
  }

  /** The form of every message create received. */
  messages(): URLSearchParams[] {
    return this.requests.filter(isCreate).map((r) => new URLSearchParams(r.body));
  }

  /**
   * A contact writes to one of the account's numbers: Twilio applies its opt-out words, opens
   * the WhatsApp window, then posts the "A message comes in" webhook, signed.
   *
   * @param message.url the webhook URL configured at Twilio (public; reached through `callbacks`)
   * @param message.from the contact (`+1…` or `whatsapp:+1…`)
   * @param message.to the account's number (in the same form)
   * @param message.advancedOptOut send `OptOutType` as Advanced Opt-Out does
   * @returns the status the server answered, once it has
   */
  inbound(message: {
    url: string;
    from: string;
    to: string;
    body: string;
    advancedOptOut?: boolean;
  }): Promise<number> | undefined {
    const word = message.body.trim().toUpperCase();
    const optOut = STOP_WORDS.includes(word) ? "STOP" : START_WORDS.includes(word) ? "START" : null;
    if (optOut === "STOP") this.optedOut.add(message.from);
    if (optOut === "START") this.optedOut.delete(message.from);
    if (message.from.startsWith("whatsapp:")) this.lastInbound.set(message.from, this.now());
    const sid = `SM${crypto.randomUUID().replaceAll("-", "")}`;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: "2010-04-01",
      MessageSid: sid,
      SmsSid: sid,
      SmsMessageSid: sid,
      SmsStatus: "received",
      From: message.from,
      To: message.to,
      Body: message.body,
      NumMedia: "0",
      NumSegments: "1",
      ...(message.advancedOptOut && optOut !== null ? { OptOutType: optOut } : {}),
    };
    return this.callbacks.post(message.url, this.#signed(message.url, params));
  }

  /** What Twilio does once it accepted a message: free text out of the window fails (63016). */
  #afterCreate(form: URLSearchParams, sid: string): void {
    const to = form.get("To") ?? "";
    if (!to.startsWith("whatsapp:") || form.has("ContentSid")) return;
    const last = this.lastInbound.get(to);
    if (last !== undefined && this.now() - last < WINDOW_MS) return;
    this.#report(form, sid, { MessageStatus: "failed", ErrorCode: "63016" });
  }

  /** The status callback of a message, posted once the send has been answered. */
  #report(form: URLSearchParams, sid: string, status: Record<string, string>): void {
    const url = form.get("StatusCallback");
    if (url === null) return;
    const params: Record<string, string> = {
      AccountSid: this.accountSid,
      ApiVersion: "2010-04-01",
      MessageSid: sid,
      SmsSid: sid,
      From: form.get("From") ?? "",
      To: form.get("To") ?? "",
      ...status,
    };
    this.callbacks.post(url, this.#signed(url, params), 20);
  }

  #signed(url: string, params: Record<string, string>) {
    return {
      body: new URLSearchParams(params).toString(),
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": getExpectedTwilioSignature(this.authToken, url, params),
      },
    };
  }
}

function isCreate(request: RecordedRequest): boolean {
  return request.method === "POST" && request.path.endsWith("/Messages.json");
}
