/**
 * An asynchronous send (`Prefer: respond-async`, or a payload with `sendAt`): the message is
 * stored `queued` with the time it is due, and the answer is 202 once that is durable; a send
 * worker takes it from there (README "Throughput, retries, async and scheduled sends").
 *
 * @module
 */
import type { SendQueue } from "../../core/ports/send_queue.ts";
import { jsonReply, type Reply } from "../http/reply.ts";
import { queuedMessage } from "./outbound_message.ts";
import type { AdmittedSend } from "./send_admission.ts";
import { chargeSend } from "./send_charge.ts";
import type { SendDeps } from "./send_service.ts";

/** Whether a `Prefer` header asks for `respond-async` (RFC 7240). */
export function prefersAsync(prefer: string | null): boolean {
  if (prefer === null) return false;
  return prefer
    .split(",")
    .some((preference) => preference.split(";")[0]?.trim().toLowerCase() === "respond-async");
}

/**
 * Charges the send and queues it; every attempt at the provider carries the same idempotency
 * key: `<integration id>:<Idempotency-Key>`, or the message id when the caller gave none.
 *
 * @returns 202 `{ id, status: "queued", channel }` (with `sendAt` when scheduled), or 404/402
 */
export async function enqueueAdmitted(
  deps: SendDeps & { sendQueue: SendQueue },
  request: { requestId: string; send: AdmittedSend; key: string | null },
): Promise<Reply> {
  const { send, key } = request;
  const charged = await chargeSend(deps, request);
  if (!charged.ok) return charged.reply;
  const { channel, integration } = send;
  const now = deps.clock.now();
  const id = deps.ids("message");
  const message = queuedMessage({ ...send, ...charged.charge, id, at: new Date(now) });
  const dueAt = new Date(send.sendAt ?? now);
  const sendKey = key === null ? id : `${integration.id}:${key}`;
  await deps.sendQueue.enqueueSend(message, { dueAt, sendKey });
  deps.integrations.touchTokenUse(integration.id, new Date(now));
  // Due now: wake the send workers (a scheduled send is found by their polling).
  if (dueAt.getTime() <= now) deps.signal.notify();
  return jsonReply(202, {
    id,
    status: "queued",
    channel: { id: channel.id, type: channel.type },
    ...(send.sendAt === null ? {} : { sendAt: dueAt.toISOString() }),
  });
}
