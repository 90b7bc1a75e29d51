/**
 * A fake of Twilio's Messages API (PROVIDERS.md "Twilio"):
 * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded, HTTP Basic
 * `AccountSid:AuthToken`; answers 201 with a message resource, or Twilio's real error shape
 * `{ code, message, more_info, status }`.
 */
import { type FakeAnswer, FakeServer, type RecordedRequest } from "./_fake_server.ts";

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
} as const;

export type TwilioErrorCode = keyof typeof TWILIO_ERRORS;

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
  /**
   * @param accountSid the account the fake serves
   * @param authToken its auth token (HTTP Basic password)
   */
  constructor(
    readonly accountSid: string,
    readonly authToken: string,
  ) {
    let sent = 0;
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
      sent += 1;
      const form = new URLSearchParams(request.body);
      return {
        status: 201,
        json: {
          sid: `SM${String(sent).padStart(32, "0")}`,
          account_sid: accountSid,
          to: form.get("To"),
          from: form.get("From"),
          messaging_service_sid: form.get("MessagingServiceSid"),
          body: form.get("Body"),
          status: "queued",
          num_media: String(form.getAll("MediaUrl").length),
          direction: "outbound-api",
          api_version: "2010-04-01",
          uri: `/2010-04-01/Accounts/${accountSid}/Messages/SM${sent}.json`,
        },
      };
    });
  }

  /** The form of every message create received. */
  messages(): URLSearchParams[] {
    return this.requests.filter(isCreate).map((r) => new URLSearchParams(r.body));
  }
}

function isCreate(request: RecordedRequest): boolean {
  return request.method === "POST" && request.path.endsWith("/Messages.json");
}
