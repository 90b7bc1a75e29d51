/**
 * What an SMTP send's outcome means (README "SMTP"): the relay's reply code decides. 5xx is a
 * permanent refusal, 4xx a temporary one; a send that got no reply (connection refused or
 * dropped, TLS failed, no answer in time) is temporary too, except a relay whose address the
 * check refuses, which only a new setting fixes. Each is a 502 when the send is synchronous,
 * with `provider: { name: "smtp", code: "<reply code>", message }`.
 *
 * @module
 */
import type { ProviderResult } from "../../core/ports/providers.ts";
import { findAttachmentError } from "../attachments/attachment_stream_error.ts";
import { ADDRESS_REFUSED } from "./_smtp_socket.ts";

/** The parts of a Nodemailer error the mapping reads. */
interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

// Failures without a reply that retrying cannot fix: a refused address, no credentials.
const PERMANENT_CODES: ReadonlySet<string> = new Set([ADDRESS_REFUSED, "ENOAUTH", "ECONFIG"]);

/**
 * The provider result of a failed SMTP send.
 *
 * @param error what Nodemailer (or an attachment stream) failed with
 * @returns a `FAILURE` whose `temporary` says whether a later try may succeed
 */
export function smtpFailure(error: unknown): ProviderResult {
  const attachment = findAttachmentError(error);
  if (attachment !== null) {
    return {
      ok: false,
      code: "FAILURE",
      fault: { name: "smtp", code: attachment.faultCode, message: attachment.message },
      temporary: attachment.temporary,
    };
  }
  const smtp = (error ?? {}) as SmtpError;
  if (typeof smtp.responseCode === "number" && smtp.responseCode >= 400) {
    return {
      ok: false,
      code: "FAILURE",
      fault: {
        name: "smtp",
        code: String(smtp.responseCode),
        message: (smtp.response ?? smtp.message ?? "").trim(),
      },
      temporary: smtp.responseCode < 500,
    };
  }
  const code = typeof smtp.code === "string" ? smtp.code : "ECONNECTION";
  return {
    ok: false,
    code: "FAILURE",
    fault: { name: "smtp", code, message: smtp.message ?? String(error) },
    temporary: !PERMANENT_CODES.has(code),
  };
}
