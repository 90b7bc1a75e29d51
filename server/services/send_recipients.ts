/**
 * The recipient checks of a send, after idempotency and before credits (README "Sending",
 * check order): 422 `RECIPIENT_SUPPRESSED` when an address is on the company's suppression
 * list, then 422 `WHATSAPP_WINDOW_CLOSED` for free text to a WhatsApp contact silent for 24
 * hours. Nothing is sent and no credit is taken.
 *
 * @module
 */
import type { ErrorDetail, Suppression } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import type { ContactWindowStore } from "../../core/ports/contact_window_store.ts";
import type { SuppressionStore } from "../../core/ports/suppression_store.ts";
import { suppressionAddress } from "../../core/suppression_address.ts";
import { checkWhatsAppWindow, windowEnforced } from "../../core/whatsapp_window.ts";
import { errorReply, type Reply } from "../http/reply.ts";
import type { AdmittedSend } from "./send_admission.ts";

/** What the checks read. */
export interface RecipientCheckDeps {
  suppressions: SuppressionStore;
  contactWindows: ContactWindowStore;
}

/** One recipient of a send: its address as stored on suppression lists, and where it was given. */
interface Recipient {
  address: string;
  path: string;
}

/**
 * Runs both checks in order.
 *
 * @returns the refusal, or null when the send may go on
 */
export async function refuseRecipients(
  deps: RecipientCheckDeps,
  request: { requestId: string; send: AdmittedSend; now: number },
): Promise<Reply | null> {
  const { requestId, send, now } = request;
  const suppressed = await suppressedRecipients(deps, send);
  if (suppressed.length > 0) {
    const count =
      suppressed.length === 1 ? "A recipient is" : `${suppressed.length} recipients are`;
    return errorReply("RECIPIENT_SUPPRESSED", {
      requestId,
      message: `${count} on this company's suppression list; nothing was sent.`,
      details: suppressed,
    });
  }
  return closedWindow(deps, { requestId, send, now });
}

async function suppressedRecipients(
  deps: RecipientCheckDeps,
  send: AdmittedSend,
): Promise<ErrorDetail[]> {
  const { channel } = send;
  const recipients = recipientsWithPaths(send.validated, send.body);
  const found = await deps.suppressions.findSuppressions(channel.companyId, channel.type, [
    ...new Set(recipients.map((r) => r.address)),
  ]);
  if (found.length === 0) return [];
  const byAddress = new Map(found.map((s) => [s.address, s]));
  const details: ErrorDetail[] = [];
  for (const recipient of recipients) {
    const suppression = byAddress.get(recipient.address);
    if (suppression !== undefined) details.push(suppressedDetail(recipient, suppression));
  }
  return details;
}

function suppressedDetail(recipient: Recipient, suppression: Suppression): ErrorDetail {
  return {
    path: recipient.path,
    message: `Suppressed recipient "${recipient.address}": on the suppression list since ${suppression.createdAt.toISOString()} (reason ${suppression.reason}, ${suppression.id}); an operator can remove it with DELETE /api/admin/suppressions/${suppression.id}`,
  };
}

async function closedWindow(
  deps: RecipientCheckDeps,
  request: { requestId: string; send: AdmittedSend; now: number },
): Promise<Reply | null> {
  const { requestId, send, now } = request;
  const { channel, validated } = send;
  if (validated.channelType !== "whatsapp") return null;
  const content = validated.payload.template === undefined ? "message" : "template";
  const enforce = windowEnforced(channel.provider, channel.config);
  if (content === "template" || !enforce) return null;
  const contact = suppressionAddress("whatsapp", validated.payload.number);
  const lastInboundAt = await deps.contactWindows.lastInboundAt(channel.id, contact);
  const verdict = checkWhatsAppWindow(content, { enforce, lastInboundAt, now });
  if (verdict.ok) return null;
  const last = verdict.lastInboundAt?.toISOString() ?? null;
  const since = last === null ? "has never written to this channel" : `last wrote at ${last}`;
  return errorReply("WHATSAPP_WINDOW_CLOSED", {
    requestId,
    lastInboundAt: last,
    details: [
      {
        path: "/message",
        message: `Closed window: ${contact} ${since}, more than 24 hours ago or never, so WhatsApp delivers only an approved template; send "template" instead of "message"`,
      },
    ],
  });
}

/**
 * Every recipient with the JSON pointer it was given at in the body: WhatsApp `number`, SMS
 * `to`, e-mail `to`, `cc` and `bcc` (each a string or an array in the body).
 */
function recipientsWithPaths(validated: PayloadOk, body: unknown): Recipient[] {
  switch (validated.channelType) {
    case "whatsapp":
      return [
        { address: suppressionAddress("whatsapp", validated.payload.number), path: "/number" },
      ];
    case "sms":
      return [{ address: suppressionAddress("sms", validated.payload.to), path: "/to" }];
    case "email": {
      const given = (typeof body === "object" && body !== null ? body : {}) as Record<
        string,
        unknown
      >;
      const recipients: Recipient[] = [];
      for (const field of ["to", "cc", "bcc"]) {
        const value = given[field];
        const list = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
        for (const [index, address] of list.entries()) {
          if (typeof address !== "string") continue;
          const path = typeof value === "string" ? `/${field}` : `/${field}/${index}`;
          recipients.push({ address: suppressionAddress("email", address), path });
        }
      }
      return recipients;
    }
  }
}
