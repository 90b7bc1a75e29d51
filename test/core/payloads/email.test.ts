import { describe, expect, test } from "bun:test";
import { EmailPayload } from "../../../core/payloads/email.ts";
import { validateSendPayload } from "../../../core/payloads/validate.ts";
import { payloadCases, sharedPayloadTests, type Violation } from "./_payload_suite.ts";

// The seed's curl body (docs/api.md#sending, Email token).
const SEED = {
  to: ["customer@company.com"],
  subject: "Order confirmation",
  html: "<p>Thanks for your purchase!</p>",
  bcc: ["archive@company.com"],
};

const { patched, detailsOf } = payloadCases("email", SEED);

const addresses = (n: number, prefix = "user") =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@company.com`);

// One row per rule of the Email table of docs/api.md#sending: [field, case, patch, path, message fragment].
const VIOLATIONS: readonly Violation[] = [
  ["to", "missing", { to: undefined }, "/to", 'Missing field "to"'],
  ["to", "empty array", { to: [] }, "/to", "at least 1 item"],
  ["to", "51 addresses", { to: addresses(51), bcc: undefined }, "/to", "at most 50 items, got 51"],
  ["to", "a bad address", { to: "customer.company.com" }, "/to", "an email address"],
  ["to", "a bad item", { to: ["a@company.com", "b@company.com", "nope"] }, "/to/2", "email"],
  ["to", "an item with a name", { to: ["Ana <ana@company.com>"] }, "/to/0", "bare address"],
  ["to", "a number", { to: 42 }, "/to", "an email address or an array of them, got a number"],
  ["to", "a non-string item", { to: [{ email: "a@company.com" }] }, "/to/0", "got an object"],
  ["subject", "missing", { subject: undefined }, "/subject", 'Missing field "subject"'],
  ["subject", "empty", { subject: "" }, "/subject", "must not be empty"],
  ["subject", "999 chars", { subject: "s".repeat(999) }, "/subject", "at most 998 characters"],
  ["subject", "LF", { subject: "Order\nBcc: victim@x.com" }, "/subject", "line breaks"],
  ["subject", "CR", { subject: "Order\r" }, "/subject", "line breaks"],
  ["subject", "NEL", { subject: "Order\u0085" }, "/subject", "control characters"],
  ["subject", "U+2028", { subject: "Order\u2028" }, "/subject", "line separators"],
  ["subject", "NUL", { subject: "Order\u0000" }, "/subject", "NUL"],
  ["subject", "not a string", { subject: null }, "/subject", "must be a string, got null"],
  [
    "html",
    "neither html nor body",
    { html: undefined },
    "/html",
    '"html" or in its other name "body"',
  ],
  ["body", "both html and body", { body: "<p>x</p>" }, "/body", "give one"],
  ["html", "empty", { html: "" }, "/html", "must not be empty"],
  ["body", "empty", { html: undefined, body: "" }, "/body", "must not be empty"],
  ["html", "not a string", { html: 1 }, "/html", "must be a string"],
  ["text", "not a string", { text: false }, "/text", "must be a string, got a boolean"],
  ["text", "lone surrogate", { text: "\udc00" }, "/text", "unpaired surrogate"],
  ["bcc", "a bad address", { bcc: "archive" }, "/bcc", "an email address"],
  ["bcc", "a bad item", { bcc: ["archive@company.com", "x@"] }, "/bcc/1", "an email address"],
  ["bcc", "an object", { bcc: {} }, "/bcc", "or an array of them, got an object"],
  ["bcc", "to + bcc = 51", { to: addresses(1), bcc: addresses(50, "b") }, "/bcc", "got 51"],
  [
    "bcc",
    "to + bcc = 51 (strings)",
    { to: addresses(50), bcc: "archive@company.com" },
    "/bcc",
    "at most 50 recipients",
  ],
  ["fromName", "201 chars", { fromName: "f".repeat(201) }, "/fromName", "at most 200"],
  ["fromName", "LF", { fromName: "Acme\nBcc: x@y.com" }, "/fromName", "line breaks"],
  ["fromName", "CR", { fromName: "Acme\r" }, "/fromName", "line breaks"],
  ["fromName", "quote", { fromName: 'Acme "Sales"' }, "/fromName", '"'],
  ["fromName", "angle brackets", { fromName: "Acme <sales@acme.com>" }, "/fromName", "< or >"],
  ["fromName", "backslash", { fromName: "Acme\\" }, "/fromName", "\\"],
  ["fromName", "ESC", { fromName: "Acme\u001bSales" }, "/fromName", "control characters"],
  ["fromName", "NUL", { fromName: "Acme\u0000" }, "/fromName", "NUL"],
  ["fromName", "not a string", { fromName: [] }, "/fromName", "must be a string"],
  ["inReplyTo", "no brackets", { inReplyTo: "abc@mail.com" }, "/inReplyTo", "<abc@mail.com>"],
  ["inReplyTo", "no @", { inReplyTo: "<abc>" }, "/inReplyTo", "Message-ID"],
  ["inReplyTo", "CRLF", { inReplyTo: "<a@b>\r\nBcc: x@y.com" }, "/inReplyTo", "Message-ID"],
  ["inReplyTo", "not a string", { inReplyTo: 1 }, "/inReplyTo", "got a number"],
  ["references", "bad one", { references: "<a b@c>" }, "/references", "Message-ID"],
  ["references", "bad item", { references: ["<a@b>", "x"] }, "/references/1", "Message-ID"],
  ["references", "an object", { references: { id: "<a@b>" } }, "/references", "got an object"],
  ["cc", "a bad item", { cc: ["copy@company.com", "x@"] }, "/cc/1", "an email address"],
  [
    "cc",
    "to + cc = 51",
    { to: addresses(1), cc: addresses(50, "c"), bcc: undefined },
    "/cc",
    "got 51",
  ],
  [
    "bcc",
    "to + cc + bcc = 51",
    { to: addresses(20), cc: addresses(20, "c"), bcc: addresses(11, "b") },
    "/bcc",
    '"to", "cc" and "bcc" together',
  ],
  ["replyTo", "six addresses", { replyTo: addresses(6, "r") }, "/replyTo", "at most 5 items"],
  ["replyTo", "empty array", { replyTo: [] }, "/replyTo", "at least 1 item"],
  ["replyTo", "a display name", { replyTo: "Ana <ana@company.com>" }, "/replyTo", "bare address"],
  ["headers", "Reply-To", { headers: { "Reply-To": "x@y.com" } }, "/headers/Reply-To", "X-*"],
  ["headers", "From", { headers: { from: "ceo@company.com" } }, "/headers/from", "cannot be set"],
  ["headers", "a space in a name", { headers: { "X-A B": "1" } }, "/headers/X-A B", "printable"],
  [
    "headers",
    "CRLF in a value",
    { headers: { "X-Ref": "1\r\nBcc: v@x.com" } },
    "/headers/X-Ref",
    "line breaks",
  ],
  ["headers", "DEL in a value", { headers: { "X-Ref": "1\u007f" } }, "/headers/X-Ref", "control"],
  [
    "headers",
    "U+2028 in a value",
    { headers: { "X-Ref": "a\u2028b" } },
    "/headers/X-Ref",
    "control",
  ],
  ["headers", "a number value", { headers: { "X-Ref": 1 } }, "/headers/X-Ref", "got a number"],
  ["headers", "an array", { headers: ["X-Ref"] }, "/headers", "got an array"],
  [
    "headers",
    "999-char value",
    { headers: { "X-Ref": "v".repeat(999) } },
    "/headers/X-Ref",
    "at most 998",
  ],
  [
    "headers",
    "a name twice",
    { headers: { "X-Ref": "1", "x-ref": "2" } },
    "/headers/x-ref",
    "twice",
  ],
  [
    "headers",
    "List-Unsubscribe without brackets",
    { headers: { "List-Unsubscribe": "https://shop.example/u" } },
    "/headers/List-Unsubscribe",
    "<URI>",
  ],
  [
    "headers",
    "one-click without List-Unsubscribe",
    { headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } },
    "/headers/List-Unsubscribe-Post",
    "https URI",
  ],
  [
    "headers",
    "one-click with another value",
    {
      headers: {
        "List-Unsubscribe": "<https://shop.example/u>",
        "List-Unsubscribe-Post": "yes",
      },
    },
    "/headers/List-Unsubscribe-Post",
    "List-Unsubscribe=One-Click",
  ],
  [
    "tags",
    "11 tags",
    { tags: Array.from({ length: 11 }, (_, i) => ({ name: `t${i}`, value: "v" })) },
    "/tags",
    "at most 10",
  ],
  ["tags", "a space", { tags: [{ name: "order id", value: "42" }] }, "/tags/0/name", "no spaces"],
  ["tags", "no value", { tags: [{ name: "category" }] }, "/tags/0/value", "Missing"],
  ["tags", "an extra field", { tags: [{ name: "a", value: "b", c: 1 }] }, "/tags/0/c", "tag field"],
  [
    "tags",
    "a name twice",
    {
      tags: [
        { name: "a", value: "1" },
        { name: "a", value: "2" },
      ],
    },
    "/tags/1/name",
    "repeats",
  ],
  ["tags", "a string", { tags: "category:order" }, "/tags", "got a string"],
  [
    "attachments",
    "11 files",
    { attachments: Array.from({ length: 11 }, () => ({ filename: "a.txt", content: "aGk=" })) },
    "/attachments",
    "at most 10",
  ],
  [
    "attachments",
    "neither url nor content",
    { attachments: [{ filename: "a.pdf" }] },
    "/attachments/0/url",
    "base64",
  ],
  [
    "attachments",
    "both url and content",
    { attachments: [{ filename: "a.pdf", content: "aGk=", url: "https://x.example/a.pdf" }] },
    "/attachments/0/content",
    "one way",
  ],
  [
    "attachments",
    "no filename",
    { attachments: [{ content: "aGk=" }] },
    "/attachments/0/filename",
    "Missing",
  ],
  [
    "attachments",
    "a CR in the filename",
    { attachments: [{ filename: "a\r.pdf", content: "aGk=" }] },
    "/attachments/0/filename",
    "control",
  ],
  [
    "attachments",
    "wrapped base64",
    { attachments: [{ filename: "a.txt", content: "aGVs\nbG8=" }] },
    "/attachments/0/content",
    "line breaks",
  ],
  [
    "attachments",
    "URL-safe base64",
    { attachments: [{ filename: "a.bin", content: "-_-_" }] },
    "/attachments/0/content",
    "URL-safe",
  ],
  [
    "attachments",
    "unpadded base64",
    { attachments: [{ filename: "a.txt", content: "aGk" }] },
    "/attachments/0/content",
    "padding",
  ],
  [
    "attachments",
    "an ftp url",
    { attachments: [{ filename: "a.pdf", url: "ftp://x.example/a.pdf" }] },
    "/attachments/0/url",
    "http",
  ],
  [
    "attachments",
    "a bad content type",
    { attachments: [{ filename: "a.pdf", content: "aGk=", contentType: "pdf" }] },
    "/attachments/0/contentType",
    "MIME",
  ],
  [
    "attachments",
    "a bracketed content id",
    { attachments: [{ filename: "a.png", content: "aGk=", contentId: "<logo>" }] },
    "/attachments/0/contentId",
    "leave out the < >",
  ],
  [
    "attachments",
    "a content id twice",
    {
      attachments: [
        { filename: "a.png", content: "aGk=", contentId: "logo" },
        { filename: "b.png", content: "aGk=", contentId: "logo" },
      ],
    },
    "/attachments/1/contentId",
    "repeats",
  ],
  [
    "attachments",
    "an unknown field",
    { attachments: [{ filename: "a.pdf", content: "aGk=", path: "/etc/passwd" }] },
    "/attachments/0/path",
    "not an attachment field",
  ],
  [
    "attachments",
    "a string item",
    { attachments: ["https://x.example/a.pdf"] },
    "/attachments/0",
    "got a string",
  ],
];

describe("Email payload", () => {
  sharedPayloadTests({
    channelType: "email",
    seed: SEED,
    schema: EmailPayload,
    required: ["to", "subject"],
    violations: VIOLATIONS,
  });

  test.each([
    ["one address as a string", { to: "customer@company.com" }],
    ["50 recipients in to", { to: addresses(50), bcc: undefined }],
    ["50 recipients in to and bcc", { to: addresses(10), bcc: addresses(40, "b") }],
    ["an empty bcc", { bcc: [] }],
    ["a 998-character subject", { subject: "s".repeat(998) }],
    ["a 998-emoji subject", { subject: "📦".repeat(998) }],
    ["body instead of html", { html: undefined, body: "<p>x</p>" }],
    ["a text part", { text: "Thanks for your purchase!" }],
    ["a 200-character name with accents and commas", { fromName: `Açaí, Inc. ${"é".repeat(189)}` }],
    ["a Message-ID reply", { inReplyTo: "<abc.123@mail.company.com>", references: "<x@y>" }],
    ["references as an array", { references: ["<a@b>", "<c@d.e>"] }],
    [
      "50 recipients in to, cc and bcc",
      { to: addresses(10), cc: addresses(20, "c"), bcc: addresses(20, "b") },
    ],
    ["five reply-to addresses", { replyTo: addresses(5, "r") }],
    [
      "one-click unsubscribe headers in any letter case",
      {
        headers: {
          "list-unsubscribe": "<https://shop.example/u/42>, <mailto:u@shop.example?subject=stop>",
          "LIST-UNSUBSCRIBE-POST": "List-Unsubscribe=One-Click",
          "X-Entity-Ref-ID": "order-42",
          "X-Campaign": "spring \t sale é",
        },
      },
    ],
    [
      "ten tags",
      { tags: Array.from({ length: 10 }, (_, i) => ({ name: `t_${i}`, value: "A-z_0" })) },
    ],
    [
      "ten attachments by content and url, one inline",
      {
        attachments: [
          {
            filename: "logo.png",
            contentType: "image/png",
            contentId: "logo@shop.example",
            content: "iVBORw0KGgo=",
          },
          ...Array.from({ length: 9 }, (_, i) => ({
            filename: `f${i}.pdf`,
            url: `https://files.shop.example/${i}.pdf`,
          })),
        ],
      },
    ],
    [
      "a content type with a charset",
      {
        attachments: [
          { filename: "a.csv", contentType: "text/csv; charset=utf-8", content: "YSxi" },
        ],
      },
    ],
  ])("accepts %s", (_case, patch) => {
    expect(detailsOf(patched(patch))).toEqual([]);
  });

  test("to, bcc and references become arrays and body becomes html", () => {
    const result = validateSendPayload("email", {
      to: "customer@company.com",
      subject: "Re: order",
      body: "<p>Thanks</p>",
      bcc: "archive@company.com",
      inReplyTo: "<a@b.c>",
      references: "<a@b.c>",
      text: "Thanks",
      fromName: "Acme Sales",
    });
    expect(result).toEqual({
      ok: true,
      channelType: "email",
      payload: {
        to: ["customer@company.com"],
        subject: "Re: order",
        html: "<p>Thanks</p>",
        bcc: ["archive@company.com"],
        inReplyTo: "<a@b.c>",
        references: ["<a@b.c>"],
        text: "Thanks",
        fromName: "Acme Sales",
      },
    });
  });

  test("cc and replyTo become arrays; headers, tags and attachments are kept as given", () => {
    const headers = { "X-Entity-Ref-ID": "order-42" };
    const tags = [{ name: "category", value: "order" }];
    const attachments = [{ filename: "a.txt", content: "aGk=" }];
    const result = validateSendPayload("email", {
      ...SEED,
      cc: "copy@company.com",
      replyTo: "help@shop.example",
      headers,
      tags,
      attachments,
    });
    expect(result.ok && result.payload).toEqual({
      ...SEED,
      cc: ["copy@company.com"],
      replyTo: ["help@shop.example"],
      headers,
      tags,
      attachments,
    });
  });

  test("the subject is kept as given, spaces included", () => {
    const result = validateSendPayload("email", patched({ subject: "  Order  " }));
    expect(result.ok && result.payload).toMatchObject({ subject: "  Order  " });
  });

  test("several problems are all reported, in the table's order", () => {
    const details = detailsOf({ to: ["ok@company.com", "bad"], subject: "", from: "x@y.com" });
    expect(details.map((d) => d.path)).toEqual(["/to/1", "/subject", "/html", "/from"]);
    expect(details.at(-1)?.message).toBe('Unknown field "from": did you mean "fromName"?');
  });
});
