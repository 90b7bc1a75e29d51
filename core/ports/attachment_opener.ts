/**
 * Opening an e-mail's attachments before it is sent: base64 files as given, files given by URL
 * requested through the address check, their bodies left to stream to the provider.
 *
 * @module
 */
import type { ErrorDetail } from "../domain.ts";
import type { EmailAttachmentInput } from "../payloads/_email_attachments.ts";
import type { EmailAttachment } from "./providers.ts";

/** An e-mail's attachments, ready for the provider. */
export interface OpenedAttachments {
  /** In the payload's order. */
  readonly list: readonly EmailAttachment[];
  /** Stops every fetch still open: call it once the send is over, whatever happened. */
  close(): void;
}

/** The attachments ready to send, or one detail per file that cannot be had. */
export type OpenAttachmentsResult =
  | { ok: true; opened: OpenedAttachments }
  | { ok: false; details: ErrorDetail[] };

/** Opens a validated payload's `attachments`. */
export type AttachmentOpener = (
  attachments: readonly EmailAttachmentInput[],
) => Promise<OpenAttachmentsResult>;
