/**
 * The optional `channelType` field every payload accepts when it names the token's own
 * channel type (docs/api.md#sending).
 *
 * @module
 */
import { type TLiteral, type TOptional, Type } from "@sinclair/typebox";
import type { ChannelType } from "../domain.ts";

/**
 * @param type the payload's channel type
 * @returns the schema of the optional field: the literal `type`
 * @example
 * ```ts
 * channelTypeField("sms"); // accepts "sms" only, and may be left out
 * ```
 */
export function channelTypeField<T extends ChannelType>(type: T): TOptional<TLiteral<T>> {
  return Type.Optional(
    Type.Literal(type, {
      description: `May be left out; when given it must be "${type}", the type of the token's channel. It is not kept.`,
    }),
  );
}
