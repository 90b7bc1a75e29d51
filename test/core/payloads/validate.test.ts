import { describe, expect, test } from "bun:test";
import type { ChannelType } from "../../../core/domain.ts";
import { MAX_DETAILS, validateSendPayload } from "../../../core/payloads/mod.ts";

// The seed's three curl bodies (docs/api.md#sending), verbatim.
const SEEDS: Record<ChannelType, string> = {
  whatsapp: `{"name":"WhatsApp Lead","number":"5511999999999","message":"I want to talk to sales","email":"lead@company.com","url":"https://landing.com/?utm_source=meta","files":["https://landing.com/deck.pdf"],"sector":"12"}`,
  email: `{"to":["customer@company.com"],"subject":"Order confirmation","html":"<p>Thanks for your purchase!</p>","bcc":["archive@company.com"]}`,
  sms: `{"to":"+5511999999999","body":"Your code: 123456"}`,
};

// What each channel type requires, from the tables of docs/api.md#sending ("html" stands for "body or html").
const REQUIRED: Record<ChannelType, string[]> = {
  whatsapp: ["number", "message"],
  email: ["to", "subject", "html"],
  sms: ["to", "body"],
};

const CHANNELS: ChannelType[] = ["whatsapp", "email", "sms"];

function detailsOf(channelType: ChannelType, body: unknown) {
  const result = validateSendPayload(channelType, body);
  return result.ok ? [] : result.details;
}

describe("validateSendPayload() with the seed's bodies", () => {
  for (const channelType of CHANNELS) {
    test(`the ${channelType} curl body is valid for a ${channelType} token`, () => {
      const result = validateSendPayload(channelType, JSON.parse(SEEDS[channelType]));
      expect(result).toMatchObject({ ok: true, channelType });
    });

    for (const other of CHANNELS.filter((c) => c !== channelType)) {
      test(`the ${other} curl body is invalid for a ${channelType} token`, () => {
        const body = JSON.parse(SEEDS[other]);
        const details = detailsOf(channelType, body);
        expect(details.length).toBeGreaterThan(0);
        // Every required field the body lacks is named as missing at its own path.
        const lacking = REQUIRED[channelType].filter(
          (f) => !(f in body) && !(f === "html" && "body" in body),
        );
        expect(lacking.length).toBeGreaterThan(0);
        for (const field of lacking) {
          expect(details).toContainEqual({
            path: `/${field}`,
            message: expect.stringContaining(`Missing field "${field}"`),
          });
        }
      });
    }
  }
});

describe("validateSendPayload() on the body as a whole", () => {
  test.each([
    ["an array", [], "an array"],
    ["a string", "hello", "a string"],
    ["null", null, "null"],
    ["a number", 42, "a number"],
    ["a boolean", false, "a boolean"],
    ["undefined", undefined, "undefined"],
    ["a Date", new Date(0), "an object"],
    ["a Map", new Map([["to", "+5511999999999"]]), "an object"],
  ])("refuses %s with one detail at the root", (_case, body, got) => {
    for (const channelType of CHANNELS) {
      expect(detailsOf(channelType, body)).toEqual([
        {
          path: "",
          message: expect.stringMatching(
            new RegExp(`^Invalid body: must be a JSON object .*got ${got}$`),
          ),
        },
      ]);
    }
  });

  test("accepts an object with a null prototype", () => {
    const body = Object.assign(Object.create(null), { to: "+5511999999999", body: "hi" });
    expect(validateSendPayload("sms", body).ok).toBe(true);
  });

  test("a __proto__ key from JSON.parse is an unknown field, not a prototype", () => {
    const body = JSON.parse('{"to":"+5511999999999","body":"hi","__proto__":{"body":"x"}}');
    expect(detailsOf("sms", body)).toEqual([
      { path: "/__proto__", message: expect.stringContaining('Unknown field "__proto__"') },
    ]);
  });

  test("keys are escaped in paths as RFC 6901 says", () => {
    const body = { to: "+5511999999999", body: "hi", "a/b": 1, "c~d": 2 };
    expect(detailsOf("sms", body).map((d) => d.path)).toEqual(["/a~1b", "/c~0d"]);
  });

  test("an unknown key too long to echo is cut in the message, not in the path", () => {
    const key = "k".repeat(1000);
    const [detail] = detailsOf("sms", { to: "+5511999999999", body: "hi", [key]: 1 });
    expect(detail?.path).toBe(`/${key}`);
    expect(detail?.message.length).toBeLessThan(200);
  });
});

describe("validateSendPayload() and channelType", () => {
  test.each(CHANNELS)(
    "accepts channelType equal to the %s token's, and drops it",
    (channelType) => {
      const body = { ...JSON.parse(SEEDS[channelType]), channelType };
      const result = validateSendPayload(channelType, body);
      expect(result.ok).toBe(true);
      expect(result.ok && "channelType" in result.payload).toBe(false);
    },
  );

  test.each([["email"], ["SMS"], [""], [null], [1]])(
    "refuses channelType %p on an sms token",
    (value) => {
      const details = detailsOf("sms", { ...JSON.parse(SEEDS.sms), channelType: value });
      expect(details).toEqual([
        { path: "/channelType", message: expect.stringContaining('set it to "sms"') },
      ]);
    },
  );
});

describe("validateSendPayload() on unknown fields", () => {
  test.each([
    ["whatsapp", "nmber", "number"],
    ["whatsapp", "Number", "number"],
    ["whatsapp", "mesage", "message"],
    ["whatsapp", "phone", "number"],
    ["whatsapp", "sectr", "sector"],
    ["email", "subjet", "subject"],
    ["email", "from_name", "fromName"],
    ["email", "in-reply-to", "inReplyTo"],
    ["email", "refernces", "references"],
    ["email", "reply_to", "replyTo"],
    ["email", "attachment", "attachments"],
    ["email", "files", "attachments"],
    ["sms", "media_urls", "mediaUrls"],
    ["sms", "mediaUrl", "mediaUrls"],
    ["sms", "boyd", "body"],
    ["sms", "message", "body"],
  ] as const)("on a %s token, %p suggests %p", (channelType, key, suggestion) => {
    const body = { ...JSON.parse(SEEDS[channelType]), [key]: "x" };
    expect(detailsOf(channelType, body)).toEqual([
      { path: `/${key}`, message: `Unknown field "${key}": did you mean "${suggestion}"?` },
    ]);
  });

  test("a key near nothing lists the accepted fields", () => {
    expect(detailsOf("sms", { ...JSON.parse(SEEDS.sms), priority: "high" })).toEqual([
      {
        path: "/priority",
        message: 'Unknown field "priority": SMS payloads take to, body, mediaUrls and metadata',
      },
    ]);
  });

  test("every unknown field gets its own detail", () => {
    const body = { ...JSON.parse(SEEDS.sms), a: 1, b: 2, c: 3 };
    expect(detailsOf("sms", body).map((d) => d.path)).toEqual(["/a", "/b", "/c"]);
  });
});

describe("validateSendPayload() on huge bodies", () => {
  test(`lists at most ${MAX_DETAILS} problems, and says so`, () => {
    const to = Array.from({ length: 100_000 }, (_, i) => `bad${i}`);
    const details = detailsOf("email", { to, subject: "s", html: "h" });
    expect(details).toHaveLength(MAX_DETAILS + 1);
    expect(details[0]).toEqual({
      path: "/to",
      message: expect.stringContaining("at most 50 items, got 100000"),
    });
    expect(details[1]?.path).toBe("/to/0");
    expect(details.at(-1)).toEqual({
      path: "",
      message: expect.stringContaining("Too many problems"),
    });
  });

  test("many unknown fields are cut at the same limit", () => {
    const body = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]));
    expect(detailsOf("whatsapp", body)).toHaveLength(MAX_DETAILS + 1);
  });

  test("a deeply nested value in a field is refused without recursion", () => {
    const depth = 100_000;
    const body = JSON.parse(`{"number":${"[".repeat(depth)}${"]".repeat(depth)},"message":"hi"}`);
    expect(detailsOf("whatsapp", body)).toEqual([
      { path: "/number", message: expect.stringContaining("got an array") },
    ]);
  });
});
