/**
 * A fake of Resend's `POST /emails` (PROVIDERS.md "Resend"): checks `Authorization: Bearer
 * <key>`, records the e-mails, answers `{ id }`, and can answer with Resend's real errors
 * (`{ statusCode, message, name }`, resend.com/docs/api-reference/errors).
 */
import { type FakeAnswer, FakeServer } from "./_fake_server.ts";

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
  /** @param apiKey the only key the fake accepts */
  constructor(readonly apiKey: string) {
    let sent = 0;
    super((request) => {
      const auth = request.headers.get("authorization");
      if (auth === null) return resendError("missing_api_key");
      if (auth !== `Bearer ${apiKey}`) return resendError("invalid_api_key");
      if (request.method !== "POST" || request.path !== "/emails") return resendError("not_found");
      sent += 1;
      const id = `4ef9a417-02e9-4d39-ad75-${String(sent).padStart(12, "0")}`;
      return { status: 200, json: { id } };
    });
  }

  /** The JSON body of every `POST /emails` received. */
  emails(): Record<string, any>[] {
    return this.requests.filter((r) => r.path === "/emails").map((r) => JSON.parse(r.body));
  }
}
