/**
 * Payloads of `POST /api/integration/generic` (docs/api.md#sending): one TypeBox schema per channel type
 * (they double as TypeScript types and feed OpenAPI) and {@linkcode validateSendPayload}, which
 * checks a body against the schema of the token's channel type and normalizes it.
 *
 * @example
 * ```ts
 * import { validateSendPayload } from "./mod.ts";
 *
 * const result = validateSendPayload("email", {
 *   to: "customer@company.com",
 *   subject: "Order confirmation",
 *   body: "<p>Thanks for your purchase!</p>",
 * });
 * if (result.ok && result.channelType === "email") result.payload.html; // "<p>Thanks …</p>"
 * ```
 *
 * @module
 */
export { MAX_DETAILS } from "./_details.ts";
export { EmailPayload, type NormalizedEmailPayload } from "./email.ts";
export { SmsPayload } from "./sms.ts";
export {
  type PayloadFailure,
  type PayloadOk,
  type PayloadResult,
  validateSendPayload,
} from "./validate.ts";
export { WhatsAppPayload } from "./whatsapp.ts";
