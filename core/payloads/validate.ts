/**
 * Validates the body of `POST /api/integration/generic` against the payload of the token's
 * channel type (docs/api.md#sending) and hands back either the normalized payload or every problem.
 *
 * @module
 */
import type { TSchema } from "@sinclair/typebox";
import { type TypeCheck, TypeCompiler } from "@sinclair/typebox/compiler";
import type { ChannelType, ErrorDetail, ProviderName } from "../domain.ts";
import { Details, describe, type MAX_DETAILS, quote } from "./_details.ts";
import { isJsonObject } from "./_json_object.ts";
import type { PayloadContext, PayloadRules } from "./_rules.ts";
import { checkUnknownFields } from "./_unknown_fields.ts";
import { EMAIL_RULES, EmailPayload, type NormalizedEmailPayload } from "./email.ts";
import { SMS_RULES, SmsPayload } from "./sms.ts";
import { WHATSAPP_RULES, WhatsAppPayload } from "./whatsapp.ts";

/**
 * A valid body: the channel type it was checked against and its normalized payload.
 *
 * @example
 * ```ts
 * const ok: PayloadOk = { ok: true, channelType: "sms", payload: { to: "+5511999999999", body: "hi" } };
 * ```
 */
export type PayloadOk =
  | { ok: true; channelType: "whatsapp"; payload: WhatsAppPayload }
  | { ok: true; channelType: "email"; payload: NormalizedEmailPayload }
  | { ok: true; channelType: "sms"; payload: SmsPayload };

/**
 * An invalid body: at least one detail, each at a JSON pointer.
 *
 * @example
 * ```ts
 * const failure: PayloadFailure = { ok: false, details: [{ path: "/to", message: 'Missing field "to": …' }] };
 * ```
 */
export interface PayloadFailure {
  ok: false;
  details: ErrorDetail[];
}

/**
 * Outcome of {@linkcode validateSendPayload}.
 *
 * @example
 * ```ts
 * const result: PayloadResult = validateSendPayload("sms", { to: "+5511999999999", body: "" });
 * result.ok ? [] : result.details.map((detail) => detail.path); // ["/body"]
 * ```
 */
export type PayloadResult = PayloadOk | PayloadFailure;

// Compiled once: the hot path is one generated function call per request.
const WHATSAPP_CHECK = TypeCompiler.Compile(WhatsAppPayload);
const EMAIL_CHECK = TypeCompiler.Compile(EmailPayload);
const SMS_CHECK = TypeCompiler.Compile(SmsPayload);

/**
 * Validates a parsed JSON body against the payload of a channel type. Never throws, whatever the
 * body (any JSON value, any depth, keys such as `"__proto__"`).
 *
 * Rules beyond the schemas: the body must be a JSON object; a `channelType` field is accepted
 * only when it equals `channelType` and is dropped; every unknown field gets a detail (with the
 * field probably meant); every problem gets a detail at its JSON pointer, up to
 * {@linkcode MAX_DETAILS} of them (then one more says the list was cut).
 *
 * Normalization (idempotent: an accepted payload validates again to itself): `channelType` is
 * dropped; WhatsApp `message` is trimmed; Email `to`, `bcc` and `references` become arrays and
 * `body` becomes `html`; every other value is kept as given.
 *
 * @param channelType The channel type of the token (never of the body).
 * @param body The request body as `JSON.parse` returned it.
 * @param options.provider The channel's provider, when known: a WhatsApp `template` must then
 *   be in its form (Meta's or Twilio's); without it, or for the sandbox, either form passes.
 * @returns `{ ok: true, channelType, payload }` or `{ ok: false, details }`.
 * @example
 * ```ts
 * validateSendPayload("sms", { to: "+5511999999999", body: "Your code: 123456" });
 * // { ok: true, channelType: "sms", payload: { to: "+5511999999999", body: "Your code: 123456" } }
 *
 * const result = validateSendPayload("whatsapp", { number: "+5511999999999", mesage: "hi" });
 * result.ok; // false
 * if (!result.ok) {
 *   result.details;
 *   // [{ path: "/number", message: 'Invalid field "number": must be a phone number in E.164 …' },
 *   //  { path: "/message", message: 'Missing field "message": expected the text to send, …' },
 *   //  { path: "/mesage", message: 'Unknown field "mesage": did you mean "message"?' }]
 * }
 * ```
 */
export function validateSendPayload(
  channelType: ChannelType,
  body: unknown,
  options: { provider?: ProviderName } = {},
): PayloadResult {
  const context: PayloadContext =
    options.provider === undefined ? {} : { provider: options.provider };
  switch (channelType) {
    case "whatsapp":
      return run("whatsapp", WHATSAPP_CHECK, WHATSAPP_RULES, body, context);
    case "email":
      return run("email", EMAIL_CHECK, EMAIL_RULES, body, context);
    case "sms":
      return run("sms", SMS_CHECK, SMS_RULES, body, context);
  }
}

function run<Channel extends ChannelType, Payload, Normalized extends Payload>(
  channelType: Channel,
  check: TypeCheck<TSchema>,
  rules: PayloadRules<Payload, Normalized>,
  body: unknown,
  context: PayloadContext,
): { ok: true; channelType: Channel; payload: Normalized } | PayloadFailure {
  if (!isJsonObject(body)) {
    const message = `Invalid body: must be a JSON object of ${rules.vocabulary.label} fields, got ${describe(body)}`;
    return { ok: false, details: [{ path: "", message }] };
  }
  // Hot path: the compiled schema has proved shape, types, patterns and the absence of unknown
  // fields (a `channelType` field included, so such bodies take the slow path below).
  if (check.Check(body) && rules.refine(body as Payload, context)) {
    return { ok: true, channelType, payload: rules.normalize(body as Payload) };
  }
  const out = new Details();
  const declared = body.channelType;
  if (declared !== undefined && declared !== channelType) {
    const given = typeof declared === "string" ? quote(declared) : describe(declared);
    out.invalid(
      "/channelType",
      `this token sends ${channelType}, so leave channelType out or set it to "${channelType}", got ${given}`,
    );
  }
  rules.explain(body, out, context);
  checkUnknownFields(out, body, rules.vocabulary);
  // Nothing to report means valid: the compiled check may refuse text that is long in UTF-16
  // units yet within the limit in code points.
  if (out.empty) return { ok: true, channelType, payload: rules.normalize(body as Payload) };
  return { ok: false, details: out.list() };
}
