/**
 * The message row of an outbound send, as the provider answered it.
 *
 * @module
 */
import type { Channel, CustomIntegration, Message } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";

/** Everything an outbound message is made of. */
export interface OutboundInput {
  id: string;
  at: Date;
  channel: Channel;
  integration: CustomIntegration;
  validated: PayloadOk;
  recipients: string[];
  segments: number | null;
  cost: number;
  result: ProviderResult;
}

/** The message to store: `sent` with the provider's id, or `failed` with its words. */
export function outboundMessage(input: OutboundInput): Message {
  const { channel, result, at } = input;
  const status = result.ok ? "sent" : "failed";
  return {
    id: input.id,
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: channel.type,
    direction: "outbound",
    integrationId: input.integration.id,
    status,
    provider: channel.provider,
    providerMessageId: result.ok ? result.providerMessageId : null,
    to: input.recipients,
    from: channel.address,
    payload: input.validated.payload as Record<string, unknown>,
    segments: input.segments,
    credits: result.ok ? input.cost : 0,
    error: result.ok ? null : { code: result.fault.code, message: result.fault.message },
    history: [result.ok ? { status, at } : { status, at, reason: result.fault.code }],
    createdAt: at,
    updatedAt: at,
  };
}

/** Who receives the message: e-mail counts to, cc and bcc (README "Credits"). */
export function recipientsOf(validated: PayloadOk): string[] {
  switch (validated.channelType) {
    case "email": {
      const { to, cc, bcc } = validated.payload;
      return [...toArray(to), ...toArray(cc), ...toArray(bcc)];
    }
    case "sms":
      return [validated.payload.to];
    default:
      return [validated.payload.number];
  }
}

function toArray(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}
