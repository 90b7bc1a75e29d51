/**
 * Reading messages through the admin API (docs/api.md#admin-api).
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { publicMessage } from "../../core/public_message.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";
import { messageEventSpec } from "./outbox.ts";

export async function listMessages(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; channelId?: string },
): Promise<Reply> {
  const page = await deps.messages.listMessages(company.id, {
    ...pageOf(query),
    ...(query.channelId === undefined ? {} : { channelId: query.channelId }),
  });
  return jsonReply(200, { data: page.data.map(publicMessage), nextCursor: page.nextCursor });
}

export async function getMessage(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const message = await deps.messages.getMessage(company.id, id);
  if (message === null)
    return errorReply("NOT_FOUND", { requestId, message: `Message "${id}" not found` });
  return jsonReply(200, publicMessage(message));
}

/**
 * Cancels a queued or scheduled send (README "Throughput, retries, async and scheduled sends"):
 * `failed` with reason `canceled`, `message.failed` to its webhooks, credits given back; 409
 * once it has left (a worker holds it, or it is sent or failed already).
 */
export async function cancelMessage(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const message = await deps.messages.getMessage(company.id, id);
  if (message === null) {
    return errorReply("NOT_FOUND", { requestId, message: `Message "${id}" not found` });
  }
  const channel = await deps.channels.findChannelById(message.channelId);
  const now = deps.clock.now();
  const event =
    channel === null
      ? null
      : messageEventSpec("message.failed", {
          channel,
          webhooks: await deps.webhooks.forCompany(company.id),
          ids: deps.ids,
          now,
        });
  const outcome = await deps.sendQueue.cancelSend(company.id, id, {
    now: new Date(now),
    error: { code: "canceled", message: "Canceled through the admin API before it was sent" },
    event,
  });
  if (outcome === "unknown") {
    return errorReply("NOT_FOUND", { requestId, message: `Message "${id}" not found` });
  }
  if (outcome === "left") {
    const text = `Cannot cancel message "${id}": it is no longer waiting to be sent (status ${message.status})`;
    return errorReply("CONFLICT", { requestId, message: text });
  }
  if (channel !== null && channel.credits !== null && message.credits > 0) {
    await deps.channels.refundCredits(channel.id, message.credits);
  }
  deps.signal.notify();
  const canceled = await deps.messages.getMessage(company.id, id);
  return jsonReply(200, publicMessage(canceled ?? message));
}
