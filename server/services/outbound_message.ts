/**
 * The message row of an outbound send, as the provider answered it.
 *
 * @module
 */
import type { Channel, CustomIntegration, Message } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import type { SendOutcome } from "../../core/ports/message_store.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";

/** Everything an outbound message is made of before the provider answers. */
export interface DraftInput {
  id: string;
  at: Date;
  channel: Channel;
  integration: CustomIntegration;
  validated: PayloadOk;
  recipients: string[];
  segments: number | null;
  cost: number;
}

/** Everything an outbound message is made of. */
export interface OutboundInput extends DraftInput {
  result: ProviderResult;
}

/**
 * The message as written before a remote provider is called: `queued`, its credits taken, no
 * provider id yet. The provider's answer is recorded on it by `recordSendOutcome` (so an
 * asynchronous sender can write this now and send later).
 */
export function queuedMessage(input: DraftInput): Message {
  const { channel, at } = input;
  return {
    id: input.id,
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: channel.type,
    direction: "outbound",
    integrationId: input.integration.id,
    status: "queued",
    provider: channel.provider,
    providerMessageId: null,
    to: input.recipients,
    from: channel.address,
    payload: input.validated.payload as Record<string, unknown>,
    segments: input.segments,
    credits: input.cost,
    error: null,
    history: [{ status: "queued", at }],
    createdAt: at,
    updatedAt: at,
  };
}

/** The message to store in one write: `sent` with the provider's id, or `failed` with its words. */
export function outboundMessage(input: OutboundInput): Message {
  const { result, at } = input;
  const status = result.ok ? "sent" : "failed";
  return {
    ...queuedMessage(input),
    status,
    providerMessageId: result.ok ? result.providerMessageId : null,
    credits: result.ok ? input.cost : 0,
    error: result.ok ? null : { code: result.fault.code, message: result.fault.message },
    history: [result.ok ? { status, at } : { status, at, reason: result.fault.code }],
  };
}

/** The provider's answer as the store records it on a queued message. */
export function sendOutcome(result: ProviderResult, at: Date): SendOutcome {
  return result.ok
    ? { ok: true, providerMessageId: result.providerMessageId, at }
    : { ok: false, error: { code: result.fault.code, message: result.fault.message }, at };
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
