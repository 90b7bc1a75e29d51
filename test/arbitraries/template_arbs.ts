/**
 * Arbitraries for WhatsApp templates, written from the providers' documentation (Meta's
 * component and parameter objects, Twilio's Content SID and variables), not from core's checks.
 *
 * @module
 */
import fc from "fast-check";

const wordArb = fc.string({
  unit: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789_"),
  minLength: 1,
  maxLength: 24,
});
const paramTextArb = fc
  .string({ minLength: 1, maxLength: 40 })
  .filter((text) => text.trim().length > 0 && !text.includes("\0") && text.isWellFormed());
const linkArb = fc.constantFrom(
  "https://cdn.shop.example/header.png",
  "https://cdn.shop.example/invoice.pdf",
  "http://media.example.com/clip.mp4",
);

const textParameterArb = fc.record(
  { type: fc.constant("text"), text: paramTextArb, parameter_name: wordArb },
  { requiredKeys: ["type", "text"] },
);
const currencyParameterArb = fc.record({
  type: fc.constant("currency"),
  currency: fc.record({
    fallback_value: paramTextArb,
    code: fc.constantFrom("USD", "BRL", "EUR"),
    amount_1000: fc.integer({ min: 0, max: 10_000_000 }),
  }),
});
const dateTimeParameterArb = fc.record({
  type: fc.constant("date_time"),
  date_time: fc.record({ fallback_value: paramTextArb }),
});
const mediaParameterArb = fc.oneof(
  fc.record({ type: fc.constant("image"), image: fc.record({ link: linkArb }) }),
  fc.record({ type: fc.constant("video"), video: fc.record({ link: linkArb }) }),
  fc.record({
    type: fc.constant("document"),
    document: fc.record({ link: linkArb, filename: wordArb }, { requiredKeys: ["link"] }),
  }),
);
const bodyParameterArb = fc.oneof(textParameterArb, currencyParameterArb, dateTimeParameterArb);

const buttonArb = fc
  .tuple(
    fc.constantFrom("quick_reply", "url", "copy_code"),
    fc.integer({ min: 0, max: 2 }),
    paramTextArb,
  )
  .map(([subType, index, value]) => {
    const type = { quick_reply: "payload", url: "text", copy_code: "coupon_code" }[subType]!;
    return {
      type: "button",
      sub_type: subType,
      index: String(index),
      parameters: [{ type, [type]: value }],
    };
  });

/** A template in Meta's form: name, locale, and header, body and button components. */
export const metaTemplateArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    name: wordArb,
    language: fc.constantFrom("en_US", "pt_BR", "es", "fil"),
    components: fc
      .tuple(
        fc.option(
          fc.array(fc.oneof(textParameterArb, mediaParameterArb), { minLength: 1, maxLength: 2 }),
          { nil: undefined },
        ),
        fc.array(bodyParameterArb, { minLength: 1, maxLength: 4 }),
        fc.array(buttonArb, { maxLength: 3 }),
      )
      .map(([header, body, buttons]) => [
        ...(header === undefined ? [] : [{ type: "header", parameters: header }]),
        { type: "body", parameters: body },
        ...buttons,
      ]),
  },
  { requiredKeys: ["name", "language"] },
);

/** A template in Twilio's form: an `HX…` Content SID and string variables. */
export const twilioTemplateArb: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    contentSid: fc
      .string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 32, maxLength: 32 })
      .map((hex) => `HX${hex}`),
    variables: fc.dictionary(fc.integer({ min: 1, max: 9 }).map(String), paramTextArb, {
      maxKeys: 4,
    }),
  },
  { requiredKeys: ["contentSid"] },
);

/** A template of either form. */
export const whatsAppTemplateArb: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  metaTemplateArb,
  twilioTemplateArb,
);
