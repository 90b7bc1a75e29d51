/**
 * The attachments a provider adapter sends: those the send path opened (`SendOptions`), or,
 * for a caller that opened none, the payload's own base64 files. A file given by URL is never
 * fetched here: only the opener may fetch, through the address check.
 *
 * @module
 */
import type { EmailPayload } from "../../core/payloads/email.ts";
import type { EmailAttachment, SendOptions } from "../../core/ports/providers.ts";

/**
 * @param payload the e-mail payload
 * @param options the send's options
 * @returns the attachments to send, in the payload's order
 * @throws {Error} when the payload names a URL that nobody opened (a bug in the caller: the
 *   file would otherwise be dropped without a word)
 */
export function sendableAttachments(
  payload: EmailPayload,
  options: SendOptions,
): readonly EmailAttachment[] {
  if (options.attachments !== undefined) return options.attachments;
  return (payload.attachments ?? []).map(({ filename, contentType, contentId, content, url }) => {
    if (content === undefined) {
      throw new Error(`Cannot send attachment "${filename}" from ${url}: it was not opened`);
    }
    return {
      filename,
      ...(contentType === undefined ? {} : { contentType }),
      ...(contentId === undefined ? {} : { contentId }),
      content: { base64: content },
    };
  });
}
