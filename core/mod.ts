/**
 * Sendeasy's pure core: payload validation, tokens and their resolution, the webhook union
 * rule, event envelopes, Standard Webhooks signatures, the retry schedule, webhook address
 * safety, SMS segments, credits, the error catalogue, and the ports adapters implement.
 * No I/O, no clock and no randomness except through parameters: it runs in any runtime.
 *
 * @example
 * ```ts
 * import { validateSendPayload } from "sendeasy/core";
 * const result = validateSendPayload("sms", { to: "+5511999999999", body: "Your code: 123456" });
 * if (!result.ok) console.log(result.details);
 * ```
 *
 * @module
 */
export * from "./address_safety.ts";
export * from "./channel_config.ts";
export * from "./credits.ts";
export * from "./domain.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./ids.ts";
export * from "./message_event.ts";
export * from "./message_status.ts";
export * from "./payloads/mod.ts";
export type * from "./ports/mod.ts";
export * from "./public_message.ts";
export * from "./resolve_token.ts";
export * from "./retry_schedule.ts";
export * from "./signatures.ts";
export * from "./sms_segments.ts";
export * from "./tokens.ts";
export * from "./union_rule.ts";
