/**
 * Arbitraries for send payloads (docs/api.md#sending): valid WhatsApp, Email and SMS bodies built from
 * the SPEC's tables (not from core's patterns), values that break them, and unknown keys.
 *
 * @module
 */
import fc from "fast-check";
import type { ChannelType } from "../../core/domain.ts";
import { whatsAppTemplateArb } from "./template_arbs.ts";

/** Field names each payload accepts, written from the tables of docs/api.md#sending. */
export const FIELDS: Readonly<Record<ChannelType, readonly string[]>> = {
  whatsapp: ["number", "message", "template", "name", "email", "url", "files", "sector"],
  email: [
    "to",
    "subject",
    "body",
    "html",
    "text",
    "cc",
    "bcc",
    "replyTo",
    "fromName",
    "inReplyTo",
    "references",
    "headers",
    "tags",
    "attachments",
  ],
  sms: ["to", "body", "mediaUrls", "metadata"],
};

/** Characters that stress "characters = code points": astral, combining, RTL, CJK, whitespace. */
const SPECIAL_CHARS = ["👋", "🇧🇷", "é", "e\u0301", "中", "ש", "€", " ", "\t", "\n", "\u00a0"];

/** One code point, never NUL (an unpaired surrogate cannot come out of `binary`). */
const charArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...SPECIAL_CHARS),
  fc.string({ unit: "binary", minLength: 1, maxLength: 1 }).filter((c) => c !== "\0"),
  fc.string({ unit: "grapheme-ascii", minLength: 1, maxLength: 1 }),
);

/**
 * Text of `min`–`max` code points, short mostly, at the limit sometimes (ASCII or astral, so
 * UTF-16 length and code points differ).
 */
export function textArb(min: number, max: number, unit = charArb): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.string({ unit, minLength: min, maxLength: Math.min(max, 30) }) },
    { weight: 1, arbitrary: fc.constantFrom("a", "👋", "é").map((c) => c.repeat(max)) },
  );
}

/** Text with at least one non-whitespace character, maybe padded with whitespace. */
export function nonBlankTextArb(max: number): fc.Arbitrary<string> {
  const padding = fc.constantFrom("", " ", "\n\t ", "\u00a0");
  return fc
    .tuple(padding, textArb(1, max), padding)
    .filter(([, core]) => core.trim().length > 0)
    .map(([before, core, after]) => `${before}${core}${after}`);
}

/** E.164 digits without `+`: a non-zero country digit, then 7–14 digits. */
export const e164DigitsArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(..."123456789"),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 7, maxLength: 14 }),
  )
  .map(([first, rest]) => first + rest);

// fast-check's domains can end in names that never resolve publicly, which SMS `mediaUrls`
// rightly refuse (docs/api.md#sending): "http://a.lan" once failed the property tests at random.
const NON_PUBLIC_NAME = /(?:^|\.)(?:localhost|local|internal|lan|home\.arpa)$/i;

/** An absolute http(s) URL on a public-looking host. */
export const httpUrlArb: fc.Arbitrary<string> = fc
  .webUrl({ withQueryParameters: true, withFragments: true })
  .filter((url) => !NON_PUBLIC_NAME.test(URL.parse(url)?.hostname ?? ""));

/** A bare email address, from fast-check's RFC 5322 generator. */
export const emailAddressArb: fc.Arbitrary<string> = fc.emailAddress();

/** A Message-ID, `<left@right>`. */
export const messageIdArb: fc.Arbitrary<string> = fc.emailAddress().map((a) => `<${a}>`);

/** `one` or an array of `min`–`max` of them. */
function oneOrManyArb(item: fc.Arbitrary<string>, min: number, max: number) {
  return fc.oneof(item, fc.array(item, { minLength: min, maxLength: max }));
}

function count(value: string | string[] | undefined): number {
  return value === undefined ? 0 : typeof value === "string" ? 1 : value.length;
}

/**
 * A valid WhatsApp body, optional fields present or not: free text (with files or not), or a
 * template of either provider's form (without files: a template's media are in its header).
 */
export const whatsAppPayloadArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        number: e164DigitsArb,
        name: textArb(0, 200),
        email: emailAddressArb,
        url: httpUrlArb,
        sector: textArb(0, 64),
      },
      { requiredKeys: ["number"] },
    ),
    fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record(
          { message: nonBlankTextArb(4096), files: fc.array(httpUrlArb, { maxLength: 10 }) },
          { requiredKeys: ["message"] },
        ),
      },
      { weight: 1, arbitrary: fc.record({ template: whatsAppTemplateArb }) },
    ),
  )
  .map(([fields, content]) => ({ ...fields, ...content }));

// Header-bound text refuses every control character but TAB, and the line separators.
const headerLineCharArb = charArb.filter(
  (c) => !/[\x00-\x08\x0A-\x1F\x7F-\x9F\u2028\u2029]/.test(c),
);
const headerSafeCharArb = headerLineCharArb.filter((c) => !/["\\<>]/.test(c));

// README "E-mail": the headers a sender may set, with the values RFC 2369 and RFC 8058 want.
const headersArb: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({
    "List-Unsubscribe": "<https://shop.example/u/42>, <mailto:u@shop.example>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  }),
  fc
    .uniqueArray(
      fc.tuple(
        fc.stringMatching(/^X-[A-Za-z0-9-]{1,20}$/),
        fc.string({ maxLength: 40 }).filter((v) => !/[\x00-\x08\x0A-\x1F\x7F]/.test(v)),
      ),
      // Header names ignore letter case: X-Y and x-y are one header.
      { maxLength: 4, selector: ([name]) => name.toLowerCase() },
    )
    .map((entries) => Object.fromEntries(entries)),
);

const tagsArb = fc.uniqueArray(
  fc.record({
    name: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
    value: fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/),
  }),
  { maxLength: 10, selector: (tag) => tag.name },
);

/** One attachment: random bytes as base64 content, or a URL; maybe an inline image. */
const attachmentArb = fc.record(
  {
    filename: fc.constantFrom("invoice.pdf", "logo.png", "notes ü.txt", "data"),
    contentType: fc.constantFrom("application/pdf", "image/png", "text/csv; charset=utf-8"),
    source: fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => ({
        content: Buffer.from(bytes).toString("base64"),
      })),
      httpUrlArb.map((url) => ({ url })),
    ),
  },
  { requiredKeys: ["filename", "source"] },
);

const attachmentsArb = fc.array(attachmentArb, { maxLength: 10 }).map((items) =>
  items.map(({ source, ...rest }, i) => ({
    ...rest,
    ...source,
    ...(i % 3 === 0 ? { contentId: `img${i}@shop.example` } : {}),
  })),
);

/** A valid Email body: exactly one of `html`/`body`, at most 50 recipients in all. */
export const emailPayloadArb: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.record(
      {
        to: oneOrManyArb(emailAddressArb, 1, 50),
        subject: textArb(1, 998, headerLineCharArb),
        text: textArb(0, 50),
        replyTo: oneOrManyArb(emailAddressArb, 1, 5),
        fromName: textArb(0, 200, headerSafeCharArb),
        inReplyTo: messageIdArb,
        references: oneOrManyArb(messageIdArb, 0, 5),
        headers: headersArb,
        tags: tagsArb,
        attachments: attachmentsArb,
      },
      { requiredKeys: ["to", "subject"] },
    ),
    fc.constantFrom("html", "body"),
    textArb(1, 200),
    fc.option(oneOrManyArb(emailAddressArb, 0, 49), { nil: undefined }),
    fc.option(oneOrManyArb(emailAddressArb, 0, 49), { nil: undefined }),
  )
  .map(([fields, contentKey, content, cc, bcc]) => {
    const body: Record<string, unknown> = { ...fields, [contentKey]: content };
    let room = 50 - count(fields.to);
    if (cc !== undefined && count(cc) <= room) {
      body.cc = cc;
      room -= count(cc);
    }
    if (bcc !== undefined && count(bcc) <= room) body.bcc = bcc;
    return body;
  });

/** A JSON object whose serialization is at most 4096 bytes of clean text. */
export const metadataArb: fc.Arbitrary<Record<string, unknown>> = fc
  .dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 8 })
  .filter((m) => new TextEncoder().encode(JSON.stringify(m)).length <= 4096);

/** A valid SMS body. */
export const smsPayloadArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    to: e164DigitsArb.map((digits) => `+${digits}`),
    body: textArb(1, 1600),
    mediaUrls: fc.array(httpUrlArb, { maxLength: 10 }),
    metadata: metadataArb,
  },
  { requiredKeys: ["to", "body"] },
);

/** A valid body of each channel type. */
export const PAYLOAD_ARBS: Readonly<Record<ChannelType, fc.Arbitrary<Record<string, unknown>>>> = {
  whatsapp: whatsAppPayloadArb,
  email: emailPayloadArb,
  sms: smsPayloadArb,
};

export const channelTypeArb: fc.Arbitrary<ChannelType> = fc.constantFrom(
  "whatsapp",
  "email",
  "sms",
);

/** Values that sit on or just past a rule: blank, NUL, lone surrogate, wrong form, too long. */
export const troublesomeValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: troublesomeConstantArb() },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
);

function troublesomeConstantArb(): fc.Arbitrary<unknown> {
  return fc.constantFrom(
    "",
    "   ",
    "a\u0000b",
    "\ud800",
    "5511999999999",
    "+5511999999999",
    "55 11 99999-9999",
    "customer@company.com",
    "Ana <ana@company.com>",
    "<abc@mail.company.com>",
    "https://landing.com/deck.pdf",
    "http://127.0.0.1/a.png",
    "landing.com",
    "line\r\nbreak",
    'quote"',
    "x".repeat(65),
    "x".repeat(201),
    "👋".repeat(999),
    "👋".repeat(1601),
    "a".repeat(4097),
    ` ${"👋".repeat(4096)} `,
    [],
    ["customer@company.com"],
    Array.from({ length: 11 }, (_, i) => `https://landing.com/${i}.png`),
    Array.from({ length: 51 }, (_, i) => `user${i}@company.com`),
    Array.from({ length: 30 }, (_, i) => `user${i}@company.com`),
    {},
    { a: "x".repeat(5000) },
    null,
    0,
    true,
  );
}

/** A valid body of `channelType` with some fields replaced by troublesome values. */
export function nearValidBodyArb(channelType: ChannelType): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .tuple(
      PAYLOAD_ARBS[channelType],
      fc.array(fc.tuple(fc.constantFrom(...FIELDS[channelType]), troublesomeValueArb), {
        minLength: 1,
        maxLength: 3,
      }),
    )
    .map(([body, changes]) => {
      const changed = { ...body };
      for (const [field, value] of changes) changed[field] = value;
      return changed;
    });
}

/** A key no payload knows, `__proto__`, `constructor` and pointer-escaped characters included. */
export const unknownKeyArb: fc.Arbitrary<string> = fc
  .oneof(
    fc.string(),
    fc.constantFrom("__proto__", "constructor", "toString", "a/b", "~0", "~1", "", "nmber"),
  )
  .filter((key) => key !== "channelType" && !Object.values(FIELDS).flat().includes(key));

/**
 * Adds own, enumerable keys as `JSON.parse` would, so that `"__proto__"` is a field and not
 * the prototype.
 */
export function withOwnKeys(
  body: Record<string, unknown>,
  extra: ReadonlyArray<readonly [string, unknown]>,
): Record<string, unknown> {
  const copy = { ...body };
  for (const [key, value] of extra) {
    Object.defineProperty(copy, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return copy;
}
