/**
 * The Email payload's worded checks: what `EMAIL_RULES.explain` reports when a body is wrong.
 *
 * @module
 */
import { checkEmailAddress, checkMessageId } from "./_addresses.ts";
import type { Details } from "./_details.ts";
import { checkAttachments } from "./_email_attachments.ts";
import { checkHeaders } from "./_email_headers.ts";
import { MAX_FROM_NAME, MAX_RECIPIENTS, MAX_REPLY_TO, MAX_SUBJECT } from "./_email_limits.ts";
import { checkTags } from "./_email_tags.ts";
import { checkOneOrMany, type ListRule } from "./_lists.ts";
import { checkText } from "./_text.ts";

// A display name goes into `From: "<name>" <address>`: a line break would start a new header
// (header-bound text refuses every control character but TAB), and a quote, backslash or angle
// bracket would end the quoted name early.
const NAME_BREAKERS = /["\\<>]/;

const RECIPIENTS: ListRule = {
  min: 1,
  max: MAX_RECIPIENTS,
  item: "an email address",
  check: checkEmailAddress,
};
const COPIES: ListRule = { item: "an email address", check: checkEmailAddress };
const REPLY_TO: ListRule = {
  min: 1,
  max: MAX_REPLY_TO,
  item: "an email address",
  check: checkEmailAddress,
};
const REFERENCES: ListRule = { item: "a Message-ID", check: checkMessageId };

/**
 * Words every problem of an Email body TypeBox cannot word well: required fields, one of
 * `html`/`body`, recipients, text, header, tag and attachment rules.
 *
 * @param payload the body as received
 * @param out where the problems go
 */
export function explainEmail(payload: Record<string, unknown>, out: Details): void {
  const { to, subject, html, body, text, fromName, inReplyTo, references } = payload;
  let toCount: number | undefined;
  if (to === undefined) {
    out.missing("/to", `an email address or an array of 1–${MAX_RECIPIENTS} of them`);
  } else toCount = checkOneOrMany(out, "/to", to, RECIPIENTS);
  if (subject === undefined) {
    out.missing("/subject", `a subject line of 1–${MAX_SUBJECT} characters`);
  } else
    checkText(out, "/subject", subject, { nonEmpty: true, max: MAX_SUBJECT, headerLine: true });
  if (html !== undefined && body !== undefined) {
    out.invalid("/body", 'must not come with "html": "body" is another name for "html", give one');
  } else if (html === undefined && body === undefined) {
    out.missing("/html", 'the HTML content, in "html" or in its other name "body"');
  }
  if (html !== undefined) checkText(out, "/html", html, { nonEmpty: true });
  if (body !== undefined) checkText(out, "/body", body, { nonEmpty: true });
  if (text !== undefined) checkText(out, "/text", text, {});
  explainCopies(out, payload, toCount ?? 0);
  if (fromName !== undefined) {
    checkText(out, "/fromName", fromName, { max: MAX_FROM_NAME, headerLine: true });
    if (typeof fromName === "string" && NAME_BREAKERS.test(fromName)) {
      out.invalid("/fromName", 'must not contain ", \\, < or > (they break the From header)');
    }
  }
  if (inReplyTo !== undefined) checkMessageId(out, "/inReplyTo", inReplyTo);
  if (references !== undefined) checkOneOrMany(out, "/references", references, REFERENCES);
  if (payload.replyTo !== undefined) checkOneOrMany(out, "/replyTo", payload.replyTo, REPLY_TO);
  if (payload.headers !== undefined) checkHeaders(out, "/headers", payload.headers);
  if (payload.tags !== undefined) checkTags(out, "/tags", payload.tags);
  if (payload.attachments !== undefined) {
    checkAttachments(out, "/attachments", payload.attachments);
  }
}

/** `cc` and `bcc` item by item, then `to` + `cc` + `bcc` ≤ 50 at the last of them given. */
function explainCopies(out: Details, payload: Record<string, unknown>, toCount: number): void {
  let total = toCount;
  let last: "/cc" | "/bcc" | undefined;
  for (const path of ["/cc", "/bcc"] as const) {
    const value = payload[path.slice(1)];
    if (value === undefined) continue;
    const copies = checkOneOrMany(out, path, value, COPIES) ?? 0;
    total += copies;
    if (copies > 0) last = path;
  }
  if (last !== undefined && total > MAX_RECIPIENTS) {
    const reason = `and the other recipients must name at most ${MAX_RECIPIENTS} recipients ("to", "cc" and "bcc" together), got ${total}`;
    out.invalid(last, reason);
  }
}
