/**
 * Why an attachment's bytes stopped while a provider was reading them: the file grew past its
 * limit (permanent: the same URL will do it again) or its server broke off (temporary).
 *
 * @module
 */

/** What went wrong, as the provider fault's `code`. */
export type AttachmentStreamCode = "attachment_too_large" | "attachment_unavailable";

/**
 * The error an attachment stream fails with; providers turn it into their fault. Its code is
 * `faultCode`, not `code`: Nodemailer writes its own `code` (ESTREAM) onto errors it passes on.
 */
export class AttachmentStreamError extends Error {
  override readonly name = "AttachmentStreamError";

  /**
   * @param path JSON pointer of the attachment's `url` (`/attachments/2/url`)
   * @param faultCode what went wrong
   * @param message a sentence for the caller
   */
  constructor(
    readonly path: string,
    readonly faultCode: AttachmentStreamCode,
    message: string,
  ) {
    super(message);
  }

  /** Whether the same send may succeed later (the server broke off, not the limit). */
  get temporary(): boolean {
    return this.faultCode === "attachment_unavailable";
  }
}

/**
 * The attachment error somewhere in an error's `cause` chain (SDKs and streams wrap errors).
 *
 * @param error anything a provider call failed with
 * @returns the attachment's error, or `null` when the failure was not an attachment's
 */
export function findAttachmentError(error: unknown): AttachmentStreamError | null {
  let current: unknown = error;
  for (let depth = 0; depth < 8 && current !== null && current !== undefined; depth++) {
    if (current instanceof AttachmentStreamError) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}
