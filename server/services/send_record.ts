/**
 * How a send's message is written around the provider call. A remote provider's message is
 * durable (`queued`) before the request leaves, so a crash never leaves a message the provider
 * accepted without a row and a callback faster than the answer finds a message to wait for;
 * the answer is then recorded on it (with the reports that beat it). The sandbox answers
 * in-process and writes once, after its answer. An asynchronous sender can write the queued
 * message now and record the answer later with the same two steps.
 *
 * @module
 */
import type { ProviderResult } from "../../core/ports/providers.ts";
import {
  type DraftInput,
  outboundMessage,
  queuedMessage,
  sendOutcome,
} from "./outbound_message.ts";
import { messageEvent, messageEventSpec } from "./outbox.ts";
import type { SendDeps } from "./send_service.ts";

/** A send whose message is being written: call `finish` with the provider's answer. */
export interface SendRecord {
  /** Writes the answer (and the message, when nothing was written before); resolves once durable. */
  finish(result: ProviderResult): Promise<void>;
}

/**
 * Writes what must be durable before the provider is called.
 *
 * @param deps the message store, webhooks, ids and clock
 * @param draft the message as it will be sent
 * @returns the record to finish with the answer
 */
export async function beginSend(
  deps: Pick<SendDeps, "messages" | "webhooks" | "ids" | "clock">,
  draft: Omit<DraftInput, "at">,
): Promise<SendRecord> {
  const { channel } = draft;
  const now = () => deps.clock.now();
  if (channel.provider === "sandbox") {
    return {
      finish: async (result) => {
        const at = new Date(now());
        const message = outboundMessage({ ...draft, at, result });
        const webhooks = await deps.webhooks.forCompany(channel.companyId);
        const type = result.ok ? "message.sent" : "message.failed";
        const event = messageEvent(type, {
          message,
          channel,
          webhooks,
          ids: deps.ids,
          now: at.getTime(),
        });
        await deps.messages.saveMessage(message, [event]);
      },
    };
  }
  // Taken before the request leaves: the answer's event sorts before those of any callback
  // that beats the answer.
  const eventId = deps.ids("event");
  await deps.messages.saveMessage(queuedMessage({ ...draft, at: new Date(now()) }), []);
  return {
    finish: async (result) => {
      const at = new Date(now());
      const webhooks = await deps.webhooks.forCompany(channel.companyId);
      const type = result.ok ? "message.sent" : "message.failed";
      const spec = { channel, webhooks, ids: deps.ids, now: at.getTime(), id: eventId };
      const event = messageEventSpec(type, spec);
      await deps.messages.recordSendOutcome(draft.id, sendOutcome(result, at), event);
    },
  };
}
