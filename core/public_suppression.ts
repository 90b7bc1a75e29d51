/**
 * The public face of a suppression, as the admin API lists it and `recipient.*` events carry
 * it: `{ id, channelType, address, reason, messageId?, createdAt }`.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { IsoDate } from "./_iso_date.ts";
import { CHANNEL_TYPES, type Suppression, type SuppressionReason } from "./domain.ts";

/**
 * Every suppression reason, in the order the README lists them.
 *
 * @example
 * ```ts
 * SUPPRESSION_REASONS.includes("complaint"); // true
 * ```
 */
export const SUPPRESSION_REASONS: readonly SuppressionReason[] = Object.keys({
  stop: true,
  bounce: true,
  complaint: true,
  unsubscribe: true,
  manual: true,
} satisfies Record<SuppressionReason, true>) as SuppressionReason[];

/**
 * A suppression on the wire.
 *
 * @example
 * ```ts
 * import { Value } from "@sinclair/typebox/value";
 *
 * const shown = {
 *   id: "sup_01J00000000000000000000000",
 *   channelType: "sms",
 *   address: "+5511999999999",
 *   reason: "stop",
 *   createdAt: "2026-01-01T12:00:00.000Z",
 * };
 * Value.Check(PublicSuppression, shown); // true
 * ```
 */
export const PublicSuppression = Type.Object(
  {
    id: Type.String({ pattern: "^sup_" }),
    channelType: Type.Union(CHANNEL_TYPES.map((type) => Type.Literal(type))),
    address: Type.String({
      description: "WhatsApp digits without +, SMS E.164 with +, e-mail lower-cased",
    }),
    reason: Type.Union(SUPPRESSION_REASONS.map((reason) => Type.Literal(reason))),
    messageId: Type.Optional(
      Type.String({ description: "The message whose report or reply caused it" }),
    ),
    createdAt: IsoDate,
  },
  { additionalProperties: false },
);
export type PublicSuppression = Static<typeof PublicSuppression>;

/**
 * The public face of a suppression: no company id; `messageId` only when there is one.
 *
 * @param suppression The stored suppression.
 * @returns A JSON-ready object satisfying {@linkcode PublicSuppression}.
 *
 * @example
 * ```ts
 * const shown = publicSuppression({
 *   id: "sup_01J00000000000000000000000",
 *   companyId: "co_1",
 *   channelType: "email",
 *   address: "ana@company.com",
 *   reason: "complaint",
 *   messageId: null,
 *   createdAt: new Date("2026-01-01T12:00:00.000Z"),
 * });
 * shown.createdAt; // "2026-01-01T12:00:00.000Z"
 * "messageId" in shown; // false
 * ```
 */
export function publicSuppression(suppression: Suppression): PublicSuppression {
  return {
    id: suppression.id,
    channelType: suppression.channelType,
    address: suppression.address,
    reason: suppression.reason,
    ...(suppression.messageId === null ? {} : { messageId: suppression.messageId }),
    createdAt: suppression.createdAt.toISOString(),
  };
}
