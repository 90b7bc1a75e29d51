import { describe, expect, test } from "bun:test";
import { EmailPayload } from "../../../core/payloads/email.ts";
import { validateSendPayload } from "../../../core/payloads/validate.ts";
import { payloadCases, sharedPayloadTests, type Violation } from "./_payload_suite.ts";

// The seed's curl body (SPEC.md §3, Email token).
const SEED = {
  to: ["customer@company.com"],
  subject: "Order confirmation",
  html: "<p>Thanks for your purchase!</p>",
  bcc: ["archive@company.com"],
};

const { patched, detailsOf } = payloadCases("email", SEED);

const addresses = (n: number, prefix = "user") =>
  Array.from({ length: n }, (_, i) => `${prefix}${i}@company.com`);

// One row per rule of SPEC.md §3's Email table: [field, case, patch, path, message fragment].
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
  ["subject", "LF", { subject: "Order\nBcc: victim@x.com" }, "/subject", "no CR or LF"],
  ["subject", "CR", { subject: "Order\r" }, "/subject", "single line"],
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
  ["fromName", "CR", { fromName: "Acme\r" }, "/fromName", "From header"],
  ["fromName", "quote", { fromName: 'Acme "Sales"' }, "/fromName", '"'],
  ["fromName", "angle brackets", { fromName: "Acme <sales@acme.com>" }, "/fromName", "< or >"],
  ["fromName", "backslash", { fromName: "Acme\\" }, "/fromName", "\\"],
  ["fromName", "tab", { fromName: "Acme\tSales" }, "/fromName", "control characters"],
  ["fromName", "NUL", { fromName: "Acme\u0000" }, "/fromName", "NUL"],
  ["fromName", "not a string", { fromName: [] }, "/fromName", "must be a string"],
  ["inReplyTo", "no brackets", { inReplyTo: "abc@mail.com" }, "/inReplyTo", "<abc@mail.com>"],
  ["inReplyTo", "no @", { inReplyTo: "<abc>" }, "/inReplyTo", "Message-ID"],
  ["inReplyTo", "CRLF", { inReplyTo: "<a@b>\r\nBcc: x@y.com" }, "/inReplyTo", "Message-ID"],
  ["inReplyTo", "not a string", { inReplyTo: 1 }, "/inReplyTo", "got a number"],
  ["references", "bad one", { references: "<a b@c>" }, "/references", "Message-ID"],
  ["references", "bad item", { references: ["<a@b>", "x"] }, "/references/1", "Message-ID"],
  ["references", "an object", { references: { id: "<a@b>" } }, "/references", "got an object"],
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

  test("the subject is kept as given, spaces included", () => {
    const result = validateSendPayload("email", patched({ subject: "  Order  " }));
    expect(result.ok && result.payload).toMatchObject({ subject: "  Order  " });
  });

  test("several problems are all reported, in the table's order", () => {
    const details = detailsOf({ to: ["ok@company.com", "bad"], subject: "", cc: "x@y.com" });
    expect(details.map((d) => d.path)).toEqual(["/to/1", "/subject", "/html", "/cc"]);
    expect(details.at(-1)?.message).toBe('Unknown field "cc": did you mean "bcc"?');
  });
});
