import { describe, expect, test } from "bun:test";
import { validateSendPayload } from "../../../core/payloads/validate.ts";
import { WhatsAppPayload } from "../../../core/payloads/whatsapp.ts";
import { payloadCases, sharedPayloadTests, type Violation } from "./_payload_suite.ts";

// The seed's curl body (docs/api.md#sending, WhatsApp token).
const SEED = {
  name: "WhatsApp Lead",
  number: "5511999999999",
  message: "I want to talk to sales",
  email: "lead@company.com",
  url: "https://landing.com/?utm_source=meta",
  files: ["https://landing.com/deck.pdf"],
  sector: "12",
};

const { patched, detailsOf } = payloadCases("whatsapp", SEED);

const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://landing.com/${i}.pdf`);

// One row per rule of the WhatsApp table of docs/api.md#sending: [field, case, patch, path, message fragment].
const VIOLATIONS: readonly Violation[] = [
  ["number", "missing", { number: undefined }, "/number", 'Missing field "number"'],
  ["number", "with +", { number: "+5511999999999" }, "/number", 'remove the leading "+"'],
  ["number", "as a JSON number", { number: 5511999999999 }, "/number", "rather than a number"],
  ["number", "null", { number: null }, "/number", "got null"],
  ["number", "with separators", { number: "55 (11) 99999-9999" }, "/number", "remove spaces"],
  ["number", "leading 0", { number: "05511999999" }, "/number", "country code"],
  ["number", "7 digits", { number: "5511999" }, "/number", "8 to 15 digits, got 7"],
  ["number", "16 digits", { number: "5511999999999999" }, "/number", "8 to 15 digits, got 16"],
  ["number", "letters", { number: "55119abc" }, "/number", 'without "+", e.g. 5511999999999'],
  ["message", "missing", { message: undefined }, "/message", 'Missing field "message"'],
  ["message", "empty", { message: "" }, "/message", "must not be empty"],
  ["message", "blank", { message: " \n\t " }, "/message", "must not be blank"],
  ["message", "4097 chars", { message: "a".repeat(4097) }, "/message", "at most 4096"],
  ["message", "4097 emoji", { message: "👋".repeat(4097) }, "/message", "got 4097"],
  ["message", "NUL", { message: "a\u0000b" }, "/message", "NUL"],
  ["message", "lone surrogate", { message: "a\ud800b" }, "/message", "unpaired surrogate"],
  ["message", "not a string", { message: ["hi"] }, "/message", "got an array"],
  ["name", "201 chars", { name: "n".repeat(201) }, "/name", "at most 200 characters, got 201"],
  ["name", "not a string", { name: 7 }, "/name", "must be a string, got a number"],
  ["email", "not an address", { email: "lead.company.com" }, "/email", "an email address"],
  ["email", "display name", { email: "Lead <lead@company.com>" }, "/email", "bare address"],
  ["email", "padded", { email: " lead@company.com " }, "/email", "surrounding spaces"],
  ["email", "over 254", { email: `${"a".repeat(64)}@${"b".repeat(190)}.com` }, "/email", "254"],
  ["email", "local over 64", { email: `${"a".repeat(65)}@company.com` }, "/email", "email"],
  ["url", "relative", { url: "landing.com/?utm_source=meta" }, "/url", 'add "https://"'],
  ["url", "ftp", { url: "ftp://landing.com/a" }, "/url", "only http and https"],
  ["url", "spaces", { url: "https://landing.com/a b" }, "/url", "without spaces"],
  ["url", "unparsable", { url: "https://exa%mple.com/" }, "/url", "cannot be parsed"],
  ["url", "bad host", { url: "http://[::1" }, "/url", "cannot be parsed"],
  ["url", "not a string", { url: { href: "https://a.com" } }, "/url", "got an object"],
  ["files", "not an array", { files: "https://landing.com/deck.pdf" }, "/files", "array"],
  ["files", "11 items", { files: urls(11) }, "/files", "at most 10 items, got 11"],
  ["files", "bad item", { files: [...urls(3), "deck.pdf"] }, "/files/3", "absolute http(s)"],
  ["files", "null item", { files: [null] }, "/files/0", "got null"],
  ["sector", "65 chars", { sector: "s".repeat(65) }, "/sector", "at most 64 characters"],
  ["sector", "a number", { sector: 12 }, "/sector", "must be a string, got a number"],
];

describe("WhatsApp payload", () => {
  sharedPayloadTests({
    channelType: "whatsapp",
    seed: SEED,
    schema: WhatsAppPayload,
    // `message` or `template`: exactly one, a rule the validator states (see the template tests).
    required: ["number"],
    violations: VIOLATIONS,
  });

  test.each([
    [
      "only the required fields",
      { name: undefined, email: undefined, url: undefined, files: undefined, sector: undefined },
    ],
    ["8-digit number", { number: "12345678" }],
    ["15-digit number", { number: "123456789012345" }],
    ["4096 characters", { message: "a".repeat(4096) }],
    ["4096 emoji (8192 UTF-16 units)", { message: "👋".repeat(4096) }],
    ["4096 characters once trimmed", { message: `  ${"a".repeat(4096)}\n` }],
    ["a 200-character name", { name: "é".repeat(200) }],
    ["an empty name", { name: "" }],
    ["10 files", { files: urls(10) }],
    ["no files", { files: [] }],
    ["a 64-character sector", { sector: "🚀".repeat(64) }],
    ["an upper-case scheme", { url: "HTTPS://LANDING.COM/" }],
    ["an http url on a private host (url is not fetched)", { url: "http://10.0.0.1/" }],
  ])("accepts %s", (_case, patch) => {
    expect(detailsOf(patched(patch))).toEqual([]);
  });

  test("the message is trimmed, the rest kept as given", () => {
    const result = validateSendPayload("whatsapp", patched({ message: "\n  hello  \t" }));
    expect(result.ok && result.payload).toEqual({ ...SEED, message: "hello" });
  });

  test("a missing field and its typo are both reported, the typo with a suggestion", () => {
    const details = detailsOf({ number: "5511999999999", mesage: "hi" });
    expect(details).toEqual([
      {
        path: "/message",
        message:
          'Missing field "message": expected the text to send, 1–4096 characters, or a "template" to start a conversation',
      },
      { path: "/mesage", message: 'Unknown field "mesage": did you mean "message"?' },
    ]);
  });

  test("an SMS-style body is told the WhatsApp names", () => {
    const details = detailsOf({ to: "5511999999999", body: "hi" });
    expect(details.map((d) => d.message)).toEqual([
      expect.stringContaining('Missing field "number"'),
      expect.stringContaining('Missing field "message"'),
      'Unknown field "to": did you mean "number"?',
      'Unknown field "body": did you mean "message"?',
    ]);
  });
});
