/**
 * What a send costs and who receives it, and the credits taken for it (README "Sending",
 * Credits): the same for a synchronous and an asynchronous send.
 *
 * @module
 */
import { creditCost } from "../../core/credits.ts";
import { countSmsSegments } from "../../core/sms_segments.ts";
import { errorReply, type Reply } from "../http/reply.ts";
import { recipientsOf } from "./outbound_message.ts";
import type { AdmittedSend } from "./send_admission.ts";
import type { SendDeps } from "./send_service.ts";

/** A send's recipients, SMS segments and credit cost. */
export interface Charge {
  recipients: string[];
  segments: number | null;
  cost: number;
}

/**
 * Takes the send's credits when its channel counts them.
 *
 * @returns the charge, or the 404/402 reply
 */
export async function chargeSend(
  deps: Pick<SendDeps, "channels" | "alerts">,
  request: { requestId: string; send: AdmittedSend },
): Promise<{ ok: true; charge: Charge } | { ok: false; reply: Reply }> {
  const { requestId, send } = request;
  const { channel, validated } = send;
  const recipients = recipientsOf(validated);
  const segments =
    validated.channelType === "sms" ? countSmsSegments(validated.payload.body).segments : null;
  const cost = creditCost(channel.type, { recipients: recipients.length, segments: segments ?? 1 });
  if (channel.credits !== null) {
    const taken = await deps.channels.takeCredits(channel.id, cost);
    if (!taken.ok && taken.code === "CHANNEL_NOT_FOUND") {
      return { ok: false, reply: errorReply("CHANNEL_NOT_FOUND", { requestId }) };
    }
    if (!taken.ok) {
      await deps.alerts?.creditsRanOut(channel, taken.balance);
      const message = `Channel has ${taken.balance} credits left; this message costs ${cost}`;
      return { ok: false, reply: errorReply("NO_CREDITS", { requestId, message }) };
    }
  }
  return { ok: true, charge: { recipients, segments, cost } };
}
