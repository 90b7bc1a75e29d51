/**
 * E-mail `attachments` (README "E-mail attachments"): up to 10 files, each `{ filename,
 * contentType?, contentId?, url | content }`. `content` is the file in base64 (inside the 1 MiB
 * request body); `url` is fetched by the server, through the same address check as webhooks,
 * at most 10 MiB per file and 25 MiB for all of an e-mail's files together.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import { type Details, describe, pointerSegment } from "./_details.ts";
import { isJsonObject } from "./_json_object.ts";
import { checkText, isCleanText } from "./_text.ts";
import { checkHttpUrl, HTTP_URL, httpUrlFault } from "./_urls.ts";

/** Most files on one e-mail. */
export const MAX_ATTACHMENTS = 10;
/** Largest file, decoded (10 MiB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Largest sum of an e-mail's files, decoded (25 MiB). */
export const MAX_ATTACHMENTS_TOTAL_BYTES = 25 * 1024 * 1024;
const MAX_FILENAME = 255;

/** Standard base64 (RFC 4648 §4) with its padding, in one line. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
// RFC 6838 type/subtype, optionally with parameters (`text/csv; charset=utf-8`).
const TOKEN = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
const MEDIA_TYPE = new RegExp(
  `^${TOKEN}/${TOKEN}(?:\\s*;\\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"\\\\\\x00-\\x1F]*"))*$`,
);
// Goes into `Content-ID: <…>` and is named as `cid:…` in the HTML: printable ASCII, no brackets.
const CONTENT_ID = /^[!-;=?-~]{1,255}$/;
// A file name goes into a header too: no control characters.
const FILENAME = /^[^\x00-\x1F\x7F-\x9F\u2028\u2029]+$/;

/**
 * One attachment of an e-mail payload.
 *
 * @example
 * ```ts
 * const logo: EmailAttachmentInput = { filename: "logo.png", contentId: "logo", url: "https://cdn.shop.example/logo.png" };
 * ```
 */
export const EmailAttachmentInput = Type.Object(
  {
    filename: Type.String({
      minLength: 1,
      maxLength: MAX_FILENAME,
      pattern: FILENAME.source,
      description: "The file's name as the recipient sees it, e.g. invoice.pdf.",
    }),
    contentType: Type.Optional(
      Type.String({
        pattern: MEDIA_TYPE.source,
        description:
          "MIME type, e.g. application/pdf; by default taken from the URL's answer or the file name.",
      }),
    ),
    contentId: Type.Optional(
      Type.String({
        pattern: CONTENT_ID.source,
        description:
          'Makes the file an inline image the HTML shows with <img src="cid:…">; printable ASCII without < or >.',
      }),
    ),
    content: Type.Optional(
      Type.String({
        minLength: 1,
        pattern: BASE64.source,
        description:
          'The file in standard base64, on one line. Give exactly one of "content" and "url".',
      }),
    ),
    url: Type.Optional(
      Type.String({
        pattern: HTTP_URL.source,
        description: `An http(s) URL the server fetches the file from: at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MiB per file.`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type EmailAttachmentInput = Static<typeof EmailAttachmentInput>;

/**
 * Bytes of the file a valid base64 text holds.
 *
 * @param base64 Standard base64 with padding.
 * @returns Its decoded length.
 * @example
 * ```ts
 * base64DecodedSize("aGk="); // 2
 * ```
 */
export function base64DecodedSize(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/**
 * Whether schema-accepted attachments also keep the rules the schema cannot say: exactly one of
 * `url` and `content`, a parseable URL, distinct `contentId`s, sizes within the limits.
 *
 * @param attachments The attachments as the schema accepted them.
 * @returns `true` when {@linkcode checkAttachments} would find nothing.
 */
export function attachmentsAreValid(attachments: readonly EmailAttachmentInput[]): boolean {
  const contentIds = new Set<string>();
  let total = 0;
  for (const { filename, contentId, content, url } of attachments) {
    if ((content === undefined) === (url === undefined) || !isCleanText(filename)) return false;
    if (url !== undefined && httpUrlFault(url, false) !== undefined) return false;
    if (contentId !== undefined) {
      if (contentIds.has(contentId)) return false;
      contentIds.add(contentId);
    }
    const size = content === undefined ? 0 : base64DecodedSize(content);
    if (size > MAX_ATTACHMENT_BYTES) return false;
    total += size;
  }
  return total <= MAX_ATTACHMENTS_TOTAL_BYTES;
}

/**
 * Reports every problem of a present `attachments` field, each at its own path
 * (`/attachments/1/url`).
 *
 * @param out Where problems go.
 * @param path JSON pointer of the field (`/attachments`).
 * @param value The value as given.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkAttachments(out, "/attachments", [{ filename: "a.pdf" }]);
 * out.list().map((detail) => detail.path); // ["/attachments/0/url"]
 * ```
 */
export function checkAttachments(out: Details, path: string, value: unknown): void {
  if (!Array.isArray(value)) {
    out.invalid(path, `must be an array of attachments, got ${describe(value)}`);
    return;
  }
  if (value.length > MAX_ATTACHMENTS) {
    out.invalid(path, `must have at most ${MAX_ATTACHMENTS} items, got ${value.length}`);
  }
  const contentIds = new Set<string>();
  let total = 0;
  for (let i = 0; i < value.length && !out.full; i++) {
    const at = `${path}/${i}`;
    const attachment: unknown = value[i];
    if (!isJsonObject(attachment)) {
      out.invalid(at, `must be an object { filename, url | content }, got ${describe(attachment)}`);
      continue;
    }
    total += checkAttachment(out, at, attachment);
    const { contentId } = attachment;
    if (typeof contentId === "string" && CONTENT_ID.test(contentId)) {
      if (contentIds.has(contentId)) {
        out.invalid(`${at}/contentId`, `repeats "${contentId}": each inline image needs its own`);
      }
      contentIds.add(contentId);
    }
  }
  if (total > MAX_ATTACHMENTS_TOTAL_BYTES) {
    out.invalid(
      path,
      `must hold at most ${MAX_ATTACHMENTS_TOTAL_BYTES} bytes in all, got ${total}`,
    );
  }
}

const FIELDS = Object.keys(EmailAttachmentInput.properties);

/** Reports one attachment's problems; returns the bytes its `content` holds (0 otherwise). */
function checkAttachment(out: Details, at: string, attachment: Record<string, unknown>): number {
  const { filename, contentType, contentId, content, url } = attachment;
  if (filename === undefined) out.missing(`${at}/filename`, "the file's name, e.g. invoice.pdf");
  else {
    checkText(out, `${at}/filename`, filename, { nonEmpty: true, max: MAX_FILENAME });
    if (typeof filename === "string" && !FILENAME.test(filename) && filename !== "") {
      out.invalid(`${at}/filename`, "must not contain line breaks or other control characters");
    }
  }
  if (
    contentType !== undefined &&
    (typeof contentType !== "string" || !MEDIA_TYPE.test(contentType))
  ) {
    out.invalid(`${at}/contentType`, "must be a MIME type such as application/pdf");
  }
  if (contentId !== undefined && (typeof contentId !== "string" || !CONTENT_ID.test(contentId))) {
    const hint =
      typeof contentId === "string" && /^<.*>$/.test(contentId) ? " (leave out the < >)" : "";
    out.invalid(
      `${at}/contentId`,
      `must be 1–255 printable ASCII characters without spaces, < or >${hint}`,
    );
  }
  for (const key of Object.keys(attachment)) {
    if (!FIELDS.includes(key)) {
      out.invalid(
        `${at}/${pointerSegment(key)}`,
        `is not an attachment field (${FIELDS.join(", ")})`,
      );
    }
  }
  if (content !== undefined && url !== undefined) {
    out.invalid(`${at}/content`, 'must not come with "url": give the file one way');
  } else if (content === undefined && url === undefined) {
    out.missing(`${at}/url`, 'the file, as a "url" to fetch or as base64 "content"');
  }
  if (url !== undefined) checkHttpUrl(out, `${at}/url`, url, false);
  return content === undefined ? 0 : checkContent(out, `${at}/content`, content);
}

function checkContent(out: Details, path: string, content: unknown): number {
  if (typeof content !== "string") {
    out.invalid(path, `must be the file in base64, got ${describe(content)}`);
    return 0;
  }
  if (content === "") {
    out.invalid(path, "must not be empty");
    return 0;
  }
  if (!BASE64.test(content)) {
    out.invalid(path, `must be standard base64 on one line${base64Hint(content)}`);
    return 0;
  }
  const size = base64DecodedSize(content);
  if (size > MAX_ATTACHMENT_BYTES) {
    out.invalid(path, `must hold at most ${MAX_ATTACHMENT_BYTES} bytes, got ${size}`);
  }
  return size;
}

function base64Hint(content: string): string {
  if (/\s/.test(content)) return " (remove the line breaks and spaces)";
  if (/[-_]/.test(content) && !/[+/]/.test(content))
    return ' (URL-safe "-" and "_" are not accepted: use "+" and "/")';
  if (content.length % 4 !== 0) return " (its length must be a multiple of 4: add the = padding)";
  return "";
}
