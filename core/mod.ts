/**
 * Sendeasy's core as a library, for apps that embed it: check a send before it leaves your
 * app, resolve tokens against your own store, pick the webhooks an event goes to, sign and
 * verify Standard Webhooks, schedule retries, count SMS segments, and read the error
 * catalogue and the event envelope. No I/O, and no clock or randomness except through
 * parameters: it runs unchanged in Node ≥ 20, Deno 2, Bun and browsers.
 *
 * - Payloads of `POST /api/integration/generic`: {@linkcode validateSendPayload} checks a body
 *   against the payload of a channel type ({@linkcode ChannelType}) and normalizes it; the
 *   schemas {@linkcode WhatsAppPayload}, {@linkcode EmailPayload} and {@linkcode SmsPayload}
 *   are TypeBox schemas and TypeScript types at once.
 * - Tokens: {@linkcode resolveToken} decides which company, channel and integration an
 *   `Authorization` header may send through, asking a {@linkcode TokenStore} you implement;
 *   {@linkcode generateToken} and {@linkcode hashToken} make and store tokens.
 * - Webhooks: {@linkcode selectWebhookTargets} is the union rule (general and channel webhooks,
 *   one delivery per destination); {@linkcode signWebhook} signs a delivery,
 *   {@linkcode verifyWebhookRequest} checks one as a receiver; {@linkcode nextRetryDelay}
 *   spaces the retries of a failed delivery.
 * - {@linkcode countSmsSegments}, the {@linkcode ERROR_CATALOGUE} with the
 *   {@linkcode ErrorBody} every endpoint answers with, and the {@linkcode EventEnvelope} every
 *   webhook receives.
 *
 * @example
 * ```ts
 * import { countSmsSegments, validateSendPayload } from "@sendeasy/core";
 *
 * const body = { to: "+5511999999999", body: "Your code: 123456" };
 * const result = validateSendPayload("sms", body);
 * result.ok; // true
 * countSmsSegments(body.body); // { encoding: "GSM-7", units: 17, segments: 1 }
 *
 * const typo = validateSendPayload("sms", { to: "+5511999999999", text: "Your code: 123456" });
 * typo.ok ? [] : typo.details.map((detail) => detail.message);
 * // ['Missing field "body": expected the text to send, 1–1600 characters',
 * //  'Unknown field "text": did you mean "body"?']
 * ```
 *
 * @module
 */
export type { ChannelType, EventType } from "./domain.ts";
export { ERROR_CATALOGUE, ErrorBody, type ErrorCode } from "./errors.ts";
export { EventEnvelope } from "./events.ts";
export { EmailPayload } from "./payloads/email.ts";
export { SmsPayload } from "./payloads/sms.ts";
export { type PayloadResult, validateSendPayload } from "./payloads/validate.ts";
export { WhatsAppPayload } from "./payloads/whatsapp.ts";
export type { TokenMatch, TokenStore } from "./ports/token_store.ts";
export { resolveToken, type TokenResolution } from "./resolve_token.ts";
export { DEFAULT_RETRY_SCHEDULE_SECONDS, nextRetryDelay } from "./retry_schedule.ts";
export { signWebhook, type WebhookMessage } from "./signatures.ts";
export { countSmsSegments } from "./sms_segments.ts";
export { generateToken, hashToken } from "./tokens.ts";
export { type FanOutEvent, type FanOutWebhook, selectWebhookTargets } from "./union_rule.ts";
export { verifyWebhookRequest, type WebhookVerification } from "./verify_webhook_request.ts";
