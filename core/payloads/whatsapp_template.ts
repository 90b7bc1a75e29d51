/**
 * WhatsApp templates (README "WhatsApp templates"): the approved messages that may start a
 * conversation outside the 24-hour window, in the form of the provider that approved them —
 * Meta's `{ name, language, components? }` or Twilio's Content API `{ contentSid, variables? }`.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import type { ProviderName } from "../domain.ts";
import { type Details, describe } from "./_details.ts";
import { checkMetaTemplate } from "./_meta_template_checks.ts";
import { checkTwilioTemplate } from "./_twilio_template_checks.ts";
import { HTTP_URL } from "./_urls.ts";

const ParameterName = Type.Optional(
  Type.String({ pattern: "^[a-z0-9_]{1,64}$", description: "For templates with named parameters" }),
);
const Media = Type.Object(
  {
    link: Type.Optional(Type.String({ pattern: HTTP_URL.source })),
    id: Type.Optional(Type.String({ description: "A media id uploaded to Meta" })),
    filename: Type.Optional(Type.String({ description: "document only" })),
  },
  { additionalProperties: false, description: "Exactly one of link or id" },
);

/** A parameter of a header or body component, as Meta's API takes it. */
export const MetaTemplateParameter = Type.Union([
  Type.Object(
    {
      type: Type.Literal("text"),
      text: Type.String({ minLength: 1 }),
      parameter_name: ParameterName,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("currency"),
      currency: Type.Object(
        {
          fallback_value: Type.String({ minLength: 1 }),
          code: Type.String({ pattern: "^[A-Z]{3}$", description: "ISO 4217, e.g. USD" }),
          amount_1000: Type.Integer({ description: "The amount times 1000" }),
        },
        { additionalProperties: false },
      ),
      parameter_name: ParameterName,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("date_time"),
      date_time: Type.Object(
        { fallback_value: Type.String({ minLength: 1 }) },
        { additionalProperties: false },
      ),
      parameter_name: ParameterName,
    },
    { additionalProperties: false },
  ),
  Type.Object({ type: Type.Literal("image"), image: Media }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal("document"), document: Media }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal("video"), video: Media }, { additionalProperties: false }),
]);

/** A component of a Meta template: header and body parameters, or one button's. */
export const MetaTemplateComponent = Type.Union([
  Type.Object(
    {
      type: Type.Union([Type.Literal("header"), Type.Literal("body")]),
      parameters: Type.Array(MetaTemplateParameter, { minItems: 1 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal("button"),
      sub_type: Type.Union([
        Type.Literal("quick_reply"),
        Type.Literal("url"),
        Type.Literal("copy_code"),
      ]),
      index: Type.Union([
        Type.String({ pattern: "^[0-9]$" }),
        Type.Integer({ minimum: 0, maximum: 9 }),
      ]),
      parameters: Type.Array(
        Type.Union([
          Type.Object(
            { type: Type.Literal("payload"), payload: Type.String({ minLength: 1 }) },
            { additionalProperties: false },
          ),
          Type.Object(
            { type: Type.Literal("text"), text: Type.String({ minLength: 1 }) },
            { additionalProperties: false },
          ),
          Type.Object(
            { type: Type.Literal("coupon_code"), coupon_code: Type.String({ minLength: 1 }) },
            { additionalProperties: false },
          ),
        ]),
        { minItems: 1, maxItems: 1 },
      ),
    },
    { additionalProperties: false },
  ),
]);

/**
 * A template in Meta's form. `language` is the locale (`en_US`); Meta gets it as
 * `{ "code": "en_US" }`.
 *
 * @example
 * ```ts
 * const template: MetaTemplate = {
 *   name: "order_update",
 *   language: "en_US",
 *   components: [{ type: "body", parameters: [{ type: "text", text: "Alex" }] }],
 * };
 * ```
 */
export const MetaTemplate = Type.Object(
  {
    name: Type.String({
      pattern: "^[a-z0-9_]{1,512}$",
      description: "The approved template's name",
    }),
    language: Type.String({
      pattern: "^[a-z]{2,3}(_[A-Z]{2})?$",
      description: "Its locale, e.g. en_US",
    }),
    components: Type.Optional(Type.Array(MetaTemplateComponent, { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false, title: "MetaTemplate" },
);
export type MetaTemplate = Static<typeof MetaTemplate>;

/**
 * A template in Twilio's form: a Content API template and its variables.
 *
 * @example
 * ```ts
 * const template: TwilioTemplate = {
 *   contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e",
 *   variables: { "1": "Alex" },
 * };
 * ```
 */
export const TwilioTemplate = Type.Object(
  {
    contentSid: Type.String({
      pattern: "^HX[0-9a-fA-F]{32}$",
      description: "The Content SID, HX…",
    }),
    variables: Type.Optional(
      Type.Record(Type.String({ pattern: "^[A-Za-z0-9_]{1,64}$" }), Type.String({ minLength: 1 }), {
        description: 'Values of the template\'s variables, e.g. { "1": "Alex" }',
      }),
    ),
  },
  { additionalProperties: false, title: "TwilioTemplate" },
);
export type TwilioTemplate = Static<typeof TwilioTemplate>;

/**
 * Either form.
 *
 * @example
 * ```ts
 * const template: WhatsAppTemplate = { contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e" };
 * ```
 */
export const WhatsAppTemplate = Type.Union([MetaTemplate, TwilioTemplate], {
  description:
    "An approved template: Meta's form { name, language, components? } for meta channels, Twilio's { contentSid, variables? } for twilio channels; the sandbox takes both.",
});
export type WhatsAppTemplate = Static<typeof WhatsAppTemplate>;

/** Which provider's form a template is written in. */
export type TemplateForm = "meta" | "twilio";

const FORM_OF: Readonly<Partial<Record<ProviderName, TemplateForm>>> = {
  meta: "meta",
  twilio: "twilio",
};

const FORMS = "Meta's form { name, language, components? } or Twilio's { contentSid, variables? }";

/**
 * The form a template value is written in, by its keys: `contentSid` is Twilio's, `name` or
 * `language` Meta's.
 *
 * @returns the form, `mixed` when it has keys of both, or null when it has neither
 * @example
 * ```ts
 * templateForm({ contentSid: "HX…" }); // "twilio"
 * ```
 */
export function templateForm(
  template: Readonly<Record<string, unknown>>,
): TemplateForm | "mixed" | null {
  const twilio = Object.hasOwn(template, "contentSid") || Object.hasOwn(template, "variables");
  const meta =
    Object.hasOwn(template, "name") ||
    Object.hasOwn(template, "language") ||
    Object.hasOwn(template, "components");
  if (twilio && meta) return "mixed";
  return twilio ? "twilio" : meta ? "meta" : null;
}

/**
 * Reports every problem of a `template` value: not an object, neither or both forms, the form
 * of a provider other than the channel's (naming the channel's provider), and each problem
 * inside the form (unknown component types, parameters, lengths), each at its own path.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the template (`/template`).
 * @param value The value as given.
 * @param provider The channel's provider; `undefined` (an embedder without one) or `sandbox`
 *   accept both forms.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkWhatsAppTemplate(out, "/template", { contentSid: "HXb5b62575e6e4ff6129ad7c8efe1f983e" }, "meta");
 * out.list()[0]?.path; // "/template"
 * // its message: Invalid field "template": this channel's provider is meta: send Meta's form …
 * ```
 */
export function checkWhatsAppTemplate(
  out: Details,
  path: string,
  value: unknown,
  provider: ProviderName | undefined,
): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    out.invalid(path, `must be a template object, ${FORMS}, got ${describe(value)}`);
    return;
  }
  const template = value as Record<string, unknown>;
  const form = templateForm(template);
  if (form === null) {
    out.invalid(path, `must be ${FORMS}`);
    return;
  }
  if (form === "mixed") {
    out.invalid(path, `mixes two forms: use ${FORMS}, not both`);
    return;
  }
  const wanted = provider === undefined ? undefined : FORM_OF[provider];
  if (wanted !== undefined && wanted !== form) {
    const own =
      wanted === "meta"
        ? "Meta's form { name, language, components? }"
        : "Twilio's form { contentSid, variables? }";
    const other = form === "meta" ? "Meta's" : "Twilio's";
    out.invalid(path, `this channel's provider is ${provider}: send ${own}, not ${other}`);
    return;
  }
  if (form === "meta") checkMetaTemplate(out, path, template);
  else checkTwilioTemplate(out, path, template);
}
