/**
 * An e-mail payload as the message Nodemailer writes: the channel's address as sender and in the
 * envelope's MAIL FROM, every recipient in RCPT TO (bcc only there, never in a header), our
 * message id in the `Message-ID` (so it is also the provider id), the payload's few allowed
 * headers, and attachments as base64 or as the stream the server is fetching.
 *
 * @module
 */
import { Readable } from "node:stream";
import type Mail from "nodemailer/lib/mailer/index.js";
import type { Channel } from "../../core/domain.ts";
import type { EmailPayload } from "../../core/payloads/email.ts";
import type { EmailAttachment } from "../../core/ports/providers.ts";

/**
 * The `Message-ID` of a send: our message id at the sender's domain, so a reply's `In-Reply-To`
 * names the message it answers and a retry of the same message keeps its id.
 *
 * @param messageId our id (`msg_…`)
 * @param sender the channel's address
 * @returns `<msg_…@domain>`
 */
export function smtpMessageId(messageId: string, sender: string): string {
  return `<${messageId}@${sender.slice(sender.lastIndexOf("@") + 1)}>`;
}

/**
 * The Nodemailer message of a send.
 *
 * @param channel the channel (its address sends)
 * @param payload the validated payload
 * @param extra the Message-ID and the opened attachments
 * @returns the message options
 */
export function smtpMessage(
  channel: Channel,
  payload: EmailPayload,
  extra: { messageId: string; attachments: readonly EmailAttachment[] },
): Mail.Options {
  const references = list(payload.references);
  return {
    from:
      payload.fromName === undefined
        ? channel.address
        : { name: payload.fromName, address: channel.address },
    to: list(payload.to),
    cc: list(payload.cc),
    bcc: list(payload.bcc),
    ...(payload.replyTo === undefined ? {} : { replyTo: list(payload.replyTo) }),
    subject: payload.subject,
    // The validator normalizes `body` into `html`; either may reach here from other callers.
    html: payload.html ?? payload.body ?? "",
    ...(payload.text === undefined ? {} : { text: payload.text }),
    ...(payload.inReplyTo === undefined ? {} : { inReplyTo: payload.inReplyTo }),
    ...(references.length === 0 ? {} : { references }),
    messageId: extra.messageId,
    ...(payload.headers === undefined ? {} : { headers: { ...payload.headers } }),
    attachments: extra.attachments.map(smtpAttachment),
  };
}

function smtpAttachment(attachment: EmailAttachment): Mail.Attachment {
  const { filename, contentType, contentId, content } = attachment;
  return {
    filename,
    ...(contentType === undefined ? {} : { contentType }),
    // An inline image: Nodemailer puts it beside the HTML in multipart/related.
    ...(contentId === undefined ? {} : { cid: contentId, contentDisposition: "inline" as const }),
    ...("base64" in content
      ? { content: content.base64, encoding: "base64" }
      : { content: Readable.from(content.stream, { objectMode: false }) }),
  };
}

function list(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return typeof value === "string" ? [value] : value;
}
