import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { ProviderName } from "../../../core/domain.ts";
import { validateSendPayload } from "../../../core/payloads/validate.ts";
import { metaTemplateArb, twilioTemplateArb } from "../../arbitraries/template_arbs.ts";

const NUMBER = "5511999999999";

// The example of Meta's Cloud API documentation for a template send, in the payload's form.
const META_TEMPLATE = {
  name: "order_update",
  language: "en_US",
  components: [
    {
      type: "header",
      parameters: [{ type: "image", image: { link: "https://cdn.shop.example/h.png" } }],
    },
    {
      type: "body",
      parameters: [
        { type: "text", text: "Alex" },
        {
          type: "currency",
          currency: { fallback_value: "$12.50", code: "USD", amount_1000: 12500 },
        },
        { type: "date_time", date_time: { fallback_value: "June 1, 2026" } },
      ],
    },
    { type: "button", sub_type: "url", index: "0", parameters: [{ type: "text", text: "A123" }] },
    {
      type: "button",
      sub_type: "quick_reply",
      index: "1",
      parameters: [{ type: "payload", payload: "STOP_PROMO" }],
    },
  ],
};
const TWILIO_TEMPLATE = {
  contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e",
  variables: { "1": "Alex" },
};

function detailsOf(body: unknown, provider?: ProviderName) {
  const result = validateSendPayload("whatsapp", body, provider === undefined ? {} : { provider });
  return result.ok ? [] : result.details;
}

describe("WhatsApp templates", () => {
  test("Meta's form is accepted on a Meta channel and kept as given", () => {
    const body = { number: NUMBER, template: META_TEMPLATE, sector: "12" };
    expect(validateSendPayload("whatsapp", body, { provider: "meta" }) as unknown).toEqual({
      ok: true,
      channelType: "whatsapp",
      payload: body,
    });
  });

  test("Twilio's form is accepted on a Twilio channel", () => {
    expect(detailsOf({ number: NUMBER, template: TWILIO_TEMPLATE }, "twilio")).toEqual([]);
  });

  test("the sandbox, and a caller that names no provider, accept both forms", () => {
    for (const template of [META_TEMPLATE, TWILIO_TEMPLATE]) {
      expect(detailsOf({ number: NUMBER, template }, "sandbox")).toEqual([]);
      expect(detailsOf({ number: NUMBER, template })).toEqual([]);
    }
  });

  test("the other provider's form is a 400 that names the channel's provider", () => {
    expect(detailsOf({ number: NUMBER, template: TWILIO_TEMPLATE }, "meta")).toEqual([
      {
        path: "/template",
        message:
          "Invalid field \"template\": this channel's provider is meta: send Meta's form { name, language, components? }, not Twilio's",
      },
    ]);
    expect(detailsOf({ number: NUMBER, template: META_TEMPLATE }, "twilio")).toEqual([
      {
        path: "/template",
        message:
          "Invalid field \"template\": this channel's provider is twilio: send Twilio's form { contentSid, variables? }, not Meta's",
      },
    ]);
  });

  test("both message and template, or neither, is refused", () => {
    expect(detailsOf({ number: NUMBER, message: "hi", template: META_TEMPLATE }, "meta")).toEqual([
      {
        path: "/template",
        message:
          'Invalid field "template": send either "message" (free text) or "template", not both',
      },
    ]);
    expect(detailsOf({ number: NUMBER }, "meta")).toEqual([
      {
        path: "/message",
        message:
          'Missing field "message": expected the text to send, 1–4096 characters, or a "template" to start a conversation',
      },
    ]);
  });

  test("unknown component types get one detail each, at their own path", () => {
    const template = {
      ...META_TEMPLATE,
      components: [
        { type: "footer", parameters: [] },
        { type: "body", parameters: [{ type: "text", text: "Alex" }] },
        { type: "carousel", cards: [] },
      ],
    };
    expect(detailsOf({ number: NUMBER, template }, "meta")).toEqual([
      {
        path: "/template/components/0/type",
        message:
          'Invalid field "template.components[0].type": must be "header", "body" or "button", got "footer"',
      },
      {
        path: "/template/components/2/type",
        message:
          'Invalid field "template.components[2].type": must be "header", "body" or "button", got "carousel"',
      },
    ]);
  });

  test("every problem inside a template is its own detail", () => {
    const template = {
      name: "Order Update",
      language: "english",
      components: [
        {
          type: "body",
          parameters: [{ type: "image", image: { link: "https://cdn.shop.example/a.png" } }],
        },
        {
          type: "header",
          parameters: [
            { type: "currency", currency: { fallback_value: "$1", code: "usd", amount_1000: 1.5 } },
          ],
        },
        {
          type: "button",
          sub_type: "url",
          index: "10",
          parameters: [{ type: "payload", payload: "x" }],
        },
        { type: "header", parameters: [{ type: "video", video: {} }], extra: true },
      ],
    };
    expect(detailsOf({ number: NUMBER, template }, "meta").map((d) => d.path)).toEqual([
      "/template/name",
      "/template/language",
      "/template/components/0/parameters/0/type",
      "/template/components/1/parameters/0/currency/code",
      "/template/components/1/parameters/0/currency/amount_1000",
      "/template/components/2/index",
      "/template/components/2/parameters/0/type",
      "/template/components/3/extra",
      "/template/components/3/parameters/0/video",
    ]);
  });

  test("Twilio's form: a Content SID and string variables", () => {
    // Object key order puts integer-like keys first, so "3" is reported before "{{2}}".
    const template = { contentSid: "HX123", variables: { "1": 42, "{{2}}": "Alex", "3": "" } };
    expect(detailsOf({ number: NUMBER, template }, "twilio")).toEqual([
      {
        path: "/template/contentSid",
        message:
          'Invalid field "template.contentSid": must be a Content SID: "HX" and 32 hex digits',
      },
      {
        path: "/template/variables/1",
        message: 'Invalid field "template.variables[1]": must be a string, got a number',
      },
      {
        path: "/template/variables/3",
        message: 'Invalid field "template.variables[3]": must not be empty',
      },
      {
        path: "/template/variables/{{2}}",
        message:
          'Unknown field "template.variables["{{2}}"]": variable names are the template\'s placeholders, e.g. "1" for {{1}}',
      },
    ]);
  });

  test("a template with neither form's keys, or both, says what the forms are", () => {
    expect(
      detailsOf({ number: NUMBER, template: { id: "order_update" } }).map((d) => d.message),
    ).toEqual([
      "Invalid field \"template\": must be Meta's form { name, language, components? } or Twilio's { contentSid, variables? }",
    ]);
    expect(
      detailsOf({
        number: NUMBER,
        template: { ...META_TEMPLATE, contentSid: TWILIO_TEMPLATE.contentSid },
      })[0]?.message,
    ).toContain("mixes two forms");
    expect(detailsOf({ number: NUMBER, template: "order_update" })[0]?.message).toContain(
      "got a string",
    );
  });

  test("files cannot go with a template (its media belong in its header)", () => {
    expect(
      detailsOf(
        { number: NUMBER, template: META_TEMPLATE, files: ["https://landing.com/a.pdf"] },
        "meta",
      ),
    ).toEqual([
      {
        path: "/files",
        message: 'Invalid field "files": cannot go with a template: its media belong in its header',
      },
    ]);
  });

  test("any template written from the providers' docs passes on its provider's channel and fails on the other's", () => {
    const caseArb = fc.oneof(
      fc.tuple(
        metaTemplateArb,
        fc.constant<ProviderName>("meta"),
        fc.constant<ProviderName>("twilio"),
      ),
      fc.tuple(
        twilioTemplateArb,
        fc.constant<ProviderName>("twilio"),
        fc.constant<ProviderName>("meta"),
      ),
    );
    fc.assert(
      fc.property(caseArb, ([template, own, other]) => {
        const body = { number: NUMBER, template };
        expect(detailsOf(body, own)).toEqual([]);
        expect(detailsOf(body, "sandbox")).toEqual([]);
        const refused = detailsOf(body, other);
        expect(refused).toHaveLength(1);
        expect(refused[0]?.message).toContain(`this channel's provider is ${other}`);
      }),
      { numRuns: 300 },
    );
  });
});
