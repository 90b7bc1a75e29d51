/**
 * E-mail attachments given by URL: the fetcher behind the address check, the opener that runs
 * before a send, and the error a provider meets when a file breaks off or grows past its limit.
 *
 * @module
 */
export {
  type AttachmentStreamCode,
  AttachmentStreamError,
  findAttachmentError,
} from "./attachment_stream_error.ts";
export { type FetchAttachment, guardedAttachmentFetch } from "./guarded_fetch.ts";
export { type OpenAttachmentsOptions, openAttachments } from "./open_attachments.ts";
export { sendableAttachments } from "./sendable_attachments.ts";
