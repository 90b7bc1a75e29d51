/**
 * What each payload file gives the validator besides its schema.
 *
 * @module
 */
import type { ProviderName } from "../domain.ts";
import type { Details } from "./_details.ts";
import type { Vocabulary } from "./_unknown_fields.ts";

/**
 * What a payload's rules may know of the channel besides its type: its provider, when the
 * caller has one (a WhatsApp template must be in the form of the channel's provider).
 *
 * @example
 * ```ts
 * const context: PayloadContext = { provider: "meta" };
 * ```
 */
export interface PayloadContext {
  provider?: ProviderName;
}

/**
 * The checks of one payload that its TypeBox schema cannot express, split the way the validator
 * runs them: {@linkcode PayloadRules.refine} on the hot path after the compiled schema accepted
 * the body, {@linkcode PayloadRules.explain} when something is wrong and every problem must be
 * worded. `explain` is the authority: a body it finds nothing in is valid, even when the compiled
 * check refused it (TypeBox counts `maxLength` in UTF-16 units, docs/api.md#sending in code points).
 */
export interface PayloadRules<Payload, Normalized extends Payload = Payload> {
  /** Accepted field names, for unknown-field details. */
  readonly vocabulary: Vocabulary;
  /**
   * Whether a body the compiled schema accepted also passes every other rule.
   *
   * @example
   * ```ts
   * import { WHATSAPP_RULES } from "./whatsapp.ts";
   *
   * WHATSAPP_RULES.refine({ number: "5511999999999", message: "   " }); // false: blank
   * ```
   */
  refine(payload: Payload, context?: PayloadContext): boolean;
  /**
   * Reports every problem of the payload's own fields in a body (not unknown fields, not
   * `channelType`: the validator handles those for every channel alike).
   *
   * @example
   * ```ts
   * import { Details } from "./_details.ts";
   * import { WHATSAPP_RULES } from "./whatsapp.ts";
   *
   * const out = new Details();
   * WHATSAPP_RULES.explain({ message: "hi" }, out);
   * out.list()[0]?.path; // "/number"
   * ```
   */
  explain(body: Record<string, unknown>, out: Details, context?: PayloadContext): void;
  /**
   * The payload handed on once valid; idempotent: it validates again to itself.
   *
   * @example
   * ```ts
   * import { WHATSAPP_RULES } from "./whatsapp.ts";
   *
   * WHATSAPP_RULES.normalize({ number: "5511999999999", message: " hi " });
   * // { number: "5511999999999", message: "hi" }
   * ```
   */
  normalize(payload: Payload): Normalized;
}
