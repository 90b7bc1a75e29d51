/**
 * The Email payload's limits, shared by its schema and its worded checks (README "E-mail").
 *
 * @module
 */

/** Recipients in `to`, `cc` and `bcc` together, at most. */
export const MAX_RECIPIENTS = 50;
/** Reply-to addresses, at most. */
export const MAX_REPLY_TO = 5;
// RFC 5322 §2.1.1: a header line holds at most 998 characters.
export const MAX_SUBJECT = 998;
/** Characters of the sender display name, at most. */
export const MAX_FROM_NAME = 200;
