import { describe, expect, test } from "bun:test";
import { SmsPayload } from "../../../core/payloads/sms.ts";
import { validateSendPayload } from "../../../core/payloads/validate.ts";
import { payloadCases, sharedPayloadTests, type Violation } from "./_payload_suite.ts";

// The seed's curl body (docs/api.md#sending, SMS token).
const SEED = { to: "+5511999999999", body: "Your code: 123456" };

const { patched, detailsOf } = payloadCases("sms", SEED);

const media = (n: number) =>
  Array.from({ length: n }, (_, i) => `https://cdn.company.com/${i}.png`);
/** A metadata object whose JSON is exactly `bytes` bytes long. */
const metadataOf = (bytes: number) => ({ k: "x".repeat(bytes - '{"k":""}'.length) });

// One row per rule of the SMS table of docs/api.md#sending: [field, case, patch, path, message fragment].
const VIOLATIONS: readonly Violation[] = [
  ["to", "missing", { to: undefined }, "/to", 'Missing field "to"'],
  ["to", "without +", { to: "5511999999999" }, "/to", 'add the leading "+"'],
  ["to", "a number", { to: 5511999999999 }, "/to", "rather than a number"],
  ["to", "formatted", { to: "+55 (11) 99999-9999" }, "/to", "remove spaces"],
  ["to", "+0", { to: "+05511999999" }, "/to", "country code, not 0"],
  ["to", "too short", { to: "+5511" }, "/to", "8 to 15 digits, got 4"],
  ["to", "an email", { to: "customer@company.com" }, "/to", 'with "+", e.g. +5511999999999'],
  ["to", "an array", { to: ["+5511999999999"] }, "/to", "got an array"],
  ["body", "missing", { body: undefined }, "/body", 'Missing field "body"'],
  ["body", "empty", { body: "" }, "/body", "must not be empty"],
  ["body", "1601 chars", { body: "b".repeat(1601) }, "/body", "at most 1600 characters, got 1601"],
  ["body", "1601 emoji", { body: "🔑".repeat(1601) }, "/body", "got 1601"],
  ["body", "NUL", { body: "\u0000" }, "/body", "NUL"],
  ["body", "not a string", { body: 123456 }, "/body", "must be a string, got a number"],
  [
    "mediaUrls",
    "not an array",
    { mediaUrls: "https://cdn.company.com/a.png" },
    "/mediaUrls",
    "array",
  ],
  ["mediaUrls", "11 urls", { mediaUrls: media(11) }, "/mediaUrls", "at most 10 items, got 11"],
  ["mediaUrls", "relative", { mediaUrls: ["/a.png"] }, "/mediaUrls/0", "absolute http(s) URL"],
  [
    "mediaUrls",
    "data url",
    { mediaUrls: ["data:image/png;base64,AA"] },
    "/mediaUrls/0",
    "only http",
  ],
  [
    "mediaUrls",
    "loopback",
    { mediaUrls: ["http://127.0.0.1/a.png"] },
    "/mediaUrls/0",
    "public host",
  ],
  ["mediaUrls", "octal loopback", { mediaUrls: ["http://0x7f.1/a.png"] }, "/mediaUrls/0", "public"],
  [
    "mediaUrls",
    "private v4",
    { mediaUrls: ["https://192.168.0.10/a.png"] },
    "/mediaUrls/0",
    "public",
  ],
  [
    "mediaUrls",
    "link-local v6",
    { mediaUrls: ["http://[fe80::1]/a.png"] },
    "/mediaUrls/0",
    "public",
  ],
  [
    "mediaUrls",
    "localhost",
    { mediaUrls: ["http://localhost:3000/a.png"] },
    "/mediaUrls/0",
    "public",
  ],
  ["mediaUrls", "single label", { mediaUrls: ["http://intranet/a.png"] }, "/mediaUrls/0", "public"],
  [
    "mediaUrls",
    ".local name",
    { mediaUrls: ["http://printer.local/a.png"] },
    "/mediaUrls/0",
    "public",
  ],
  ["mediaUrls", "a bad third", { mediaUrls: [...media(2), 3] }, "/mediaUrls/2", "got a number"],
  ["metadata", "an array", { metadata: [1] }, "/metadata", "must be a JSON object, got an array"],
  ["metadata", "a string", { metadata: "{}" }, "/metadata", "got a string"],
  ["metadata", "null", { metadata: null }, "/metadata", "got null"],
  ["metadata", "4097 bytes", { metadata: metadataOf(4097) }, "/metadata", "got at least 4097"],
  [
    "metadata",
    "4097 bytes once escaped",
    { metadata: { k: "\n".repeat(2045) } },
    "/metadata",
    "got 4098",
  ],
  [
    "metadata",
    "4096 chars, 8190 bytes",
    { metadata: { k: "é".repeat(4088) } },
    "/metadata",
    "4096 bytes",
  ],
  ["metadata", "huge", { metadata: { k: "x".repeat(100_000) } }, "/metadata", "4096 bytes"],
  [
    "metadata",
    "wide",
    { metadata: Object.fromEntries(media(5000).map((u) => [u, 1])) },
    "/metadata",
    "4096 bytes",
  ],
  ["metadata", "NUL in a value", { metadata: { a: { b: ["\u0000"] } } }, "/metadata/a/b/0", "NUL"],
  ["metadata", "NUL in a key", { metadata: { "a\u0000": 1 } }, "/metadata/a\u0000", "key"],
  ["metadata", "lone surrogate", { metadata: { "a/b": "\ud83d" } }, "/metadata/a~1b", "unpaired"],
  ["metadata", "undefined value", { metadata: { a: undefined } }, "/metadata/a", "got undefined"],
  ["metadata", "NaN", { metadata: { a: [Number.NaN] } }, "/metadata/a/0", "got NaN"],
  ["metadata", "a Date value", { metadata: { at: new Date(0) } }, "/metadata/at", "got a Date"],
  ["metadata", "a Map", { metadata: new Map() }, "/metadata", "must be a JSON object"],
];

describe("SMS payload", () => {
  sharedPayloadTests({
    channelType: "sms",
    seed: SEED,
    schema: SmsPayload,
    required: ["to", "body"],
    violations: VIOLATIONS,
  });

  test.each([
    ["a 1600-character body", { body: "b".repeat(1600) }],
    ["a 1600-emoji body (3200 UTF-16 units)", { body: "🔑".repeat(1600) }],
    ["10 media URLs", { mediaUrls: media(10) }],
    [
      "a public IP literal",
      { mediaUrls: ["http://93.184.216.34/a.png", "https://[2606:4700::1111]/a"] },
    ],
    ["metadata of exactly 4096 bytes", { metadata: metadataOf(4096) }],
    ["an empty metadata object", { metadata: {} }],
    ["nested metadata", { metadata: { order: { id: 42, items: [true, null, "x", -1.5] } } }],
    ["a __proto__ key in metadata", { metadata: JSON.parse('{"__proto__": {"admin": true}}') }],
    ["metadata with a null prototype", { metadata: Object.assign(Object.create(null), { a: 1 }) }],
  ])("accepts %s", (_case, patch) => {
    expect(detailsOf(patched(patch))).toEqual([]);
  });

  test("deeply nested metadata is refused by size, without overflowing the stack", () => {
    const depth = 200_000;
    const json = `{"to":"+5511999999999","body":"x","metadata":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`;
    expect(detailsOf(JSON.parse(json))).toEqual([
      {
        path: "/metadata",
        message: expect.stringMatching(
          /^Invalid field "metadata": must be at most 4096 bytes once serialized as JSON, got at least 4\d{3}$/,
        ),
      },
    ]);
  });

  test("metadata is kept as given, the same object", () => {
    const metadata = { campaign: "black-friday", ids: [1, 2] };
    const result = validateSendPayload("sms", patched({ metadata }));
    expect(result.ok && result.channelType === "sms" && result.payload.metadata).toBe(metadata);
  });
});
