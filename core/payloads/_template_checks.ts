/**
 * The problems inside a WhatsApp template of each form, each at its own JSON pointer. The
 * rules are the providers' own: Meta's component and parameter types (a body takes text,
 * currency and date_time; a header also media; a button one payload, text or coupon code by
 * its sub_type), and Twilio's Content SID and string variables.
 *
 * @module
 */
import { type Details, describe, pointerSegment } from "./_details.ts";
import { checkArray } from "./_lists.ts";
import { checkText } from "./_text.ts";
import { checkHttpUrl } from "./_urls.ts";

const MAX_NAME = 512;
const MAX_COMPONENTS = 20;
const MAX_PARAMETERS = 100;
/** Meta's limit on one parameter's text. */
const MAX_PARAMETER_TEXT = 1024;
const MAX_VARIABLES = 100;
const MAX_VARIABLE_TEXT = 1024;

const TEMPLATE_NAME = /^[a-z0-9_]+$/;
const LOCALE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const PARAMETER_NAME = /^[a-z0-9_]{1,64}$/;
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;
const VARIABLE_KEY = /^[A-Za-z0-9_]{1,64}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

type Fields = Record<string, unknown>;

/** Parameter types by component: a body holds no media (Meta refuses them). */
const PARAMETER_TYPES = {
  header: ["text", "currency", "date_time", "image", "document", "video"],
  body: ["text", "currency", "date_time"],
} as const;

/** The one parameter type each button sub_type takes. */
const BUTTON_PARAMETER = { quick_reply: "payload", url: "text", copy_code: "coupon_code" } as const;

/** Reports the problems of a Meta-form template. */
export function checkMetaTemplate(out: Details, path: string, template: Fields): void {
  checkKeys(out, path, template, ["name", "language", "components"], "a Meta template");
  const { name, language, components } = template;
  if (name === undefined) out.missing(`${path}/name`, "the approved template's name");
  else
    checkPattern(out, `${path}/name`, name, TEMPLATE_NAME, {
      max: MAX_NAME,
      hint: "must be the template's name as approved: lower-case letters, digits and _",
    });
  if (language === undefined) out.missing(`${path}/language`, 'its locale, e.g. "en_US"');
  else
    checkPattern(out, `${path}/language`, language, LOCALE, {
      hint: 'must be a locale such as "en_US" or "pt_BR"',
    });
  if (components !== undefined) {
    checkArray(out, `${path}/components`, components, {
      min: 1,
      max: MAX_COMPONENTS,
      item: "a component",
      check: checkComponent,
    });
  }
}

/** Reports the problems of a Twilio-form template. */
export function checkTwilioTemplate(out: Details, path: string, template: Fields): void {
  checkKeys(out, path, template, ["contentSid", "variables"], "a Twilio template");
  const { contentSid, variables } = template;
  if (contentSid === undefined) out.missing(`${path}/contentSid`, 'the Content SID, "HX…"');
  else
    checkPattern(out, `${path}/contentSid`, contentSid, CONTENT_SID, {
      hint: 'must be a Content SID: "HX" and 32 hex digits',
    });
  if (variables === undefined) return;
  if (!isObject(variables)) {
    out.invalid(`${path}/variables`, `must be an object of strings, got ${describe(variables)}`);
    return;
  }
  const keys = Object.keys(variables);
  if (keys.length > MAX_VARIABLES) {
    out.invalid(
      `${path}/variables`,
      `must have at most ${MAX_VARIABLES} variables, got ${keys.length}`,
    );
  }
  for (const key of keys) {
    if (out.full) return;
    const at = `${path}/variables/${pointerSegment(key)}`;
    if (!VARIABLE_KEY.test(key)) {
      out.unknown(at, 'variable names are the template\'s placeholders, e.g. "1" for {{1}}');
      continue;
    }
    checkText(out, at, variables[key], { nonEmpty: true, max: MAX_VARIABLE_TEXT });
  }
}

function checkComponent(out: Details, path: string, value: unknown): void {
  if (!isObject(value)) {
    out.invalid(path, `must be a component object, got ${describe(value)}`);
    return;
  }
  const { type } = value;
  if (type === "header" || type === "body") {
    checkKeys(out, path, value, ["type", "parameters"], `a ${type} component`);
    checkParameters(out, `${path}/parameters`, value.parameters, PARAMETER_TYPES[type]);
  } else if (type === "button") {
    checkButton(out, path, value);
  } else if (type === undefined) {
    out.missing(`${path}/type`, 'the component type: "header", "body" or "button"');
  } else {
    const given = typeof type === "string" ? JSON.stringify(type) : describe(type);
    out.invalid(`${path}/type`, `must be "header", "body" or "button", got ${given}`);
  }
}

function checkParameters(
  out: Details,
  path: string,
  value: unknown,
  types: readonly string[],
): void {
  if (value === undefined) {
    out.missing(path, "the parameters that fill the component's placeholders");
    return;
  }
  checkArray(out, path, value, {
    min: 1,
    max: MAX_PARAMETERS,
    item: "a parameter",
    check: (inner, at, item) => checkParameter(inner, at, item, types),
  });
}

function checkParameter(
  out: Details,
  path: string,
  value: unknown,
  types: readonly string[],
): void {
  if (!isObject(value)) {
    out.invalid(path, `must be a parameter object, got ${describe(value)}`);
    return;
  }
  const { type } = value;
  if (typeof type !== "string" || !types.includes(type)) {
    const given = typeof type === "string" ? JSON.stringify(type) : describe(type);
    if (type === undefined) out.missing(`${path}/type`, `the parameter type: ${types.join(", ")}`);
    else out.invalid(`${path}/type`, `must be one of ${types.join(", ")} here, got ${given}`);
    return;
  }
  const named = type === "text" || type === "currency" || type === "date_time";
  checkKeys(
    out,
    path,
    value,
    named ? ["type", type, "parameter_name"] : ["type", type],
    `a ${type} parameter`,
  );
  if (named && value.parameter_name !== undefined) {
    checkPattern(out, `${path}/parameter_name`, value.parameter_name, PARAMETER_NAME, {
      hint: "must be the placeholder's name: lower-case letters, digits and _",
    });
  }
  const at = `${path}/${type}`;
  const content = value[type];
  switch (type) {
    case "text":
      if (content === undefined) out.missing(at, "the text");
      else checkText(out, at, content, { nonEmpty: true, trim: true, max: MAX_PARAMETER_TEXT });
      return;
    case "currency":
      checkCurrency(out, at, content);
      return;
    case "date_time":
      checkObject(out, at, content, ["fallback_value"], "a date_time", (fields) =>
        checkRequiredText(out, `${at}/fallback_value`, fields.fallback_value, "the date as text"),
      );
      return;
    default:
      checkMedia(out, at, content, type);
  }
}

function checkCurrency(out: Details, path: string, value: unknown): void {
  checkObject(
    out,
    path,
    value,
    ["fallback_value", "code", "amount_1000"],
    "a currency",
    (fields) => {
      checkRequiredText(
        out,
        `${path}/fallback_value`,
        fields.fallback_value,
        'the amount as text, e.g. "$12.50"',
      );
      if (fields.code === undefined) out.missing(`${path}/code`, 'an ISO 4217 code, e.g. "USD"');
      else
        checkPattern(out, `${path}/code`, fields.code, CURRENCY_CODE, {
          hint: 'must be an ISO 4217 code, e.g. "USD"',
        });
      const amount = fields.amount_1000;
      if (amount === undefined)
        out.missing(`${path}/amount_1000`, "the amount times 1000 (12.50 → 12500)");
      else if (!Number.isSafeInteger(amount)) {
        out.invalid(
          `${path}/amount_1000`,
          `must be a whole number (the amount times 1000), got ${describe(amount)}`,
        );
      }
    },
  );
}

function checkMedia(out: Details, path: string, value: unknown, type: string): void {
  const keys = type === "document" ? ["link", "id", "filename"] : ["link", "id"];
  checkObject(out, path, value, keys, `an ${type}`, (fields) => {
    const { link, id, filename } = fields;
    if ((link === undefined) === (id === undefined)) {
      out.invalid(path, `must have exactly one of "link" (an http(s) URL) or "id" (a media id)`);
    }
    if (link !== undefined) checkHttpUrl(out, `${path}/link`, link, false);
    if (id !== undefined) checkText(out, `${path}/id`, id, { nonEmpty: true, max: 128 });
    if (filename !== undefined)
      checkText(out, `${path}/filename`, filename, { nonEmpty: true, max: 240 });
  });
}

function checkButton(out: Details, path: string, button: Fields): void {
  checkKeys(out, path, button, ["type", "sub_type", "index", "parameters"], "a button component");
  const subType = button.sub_type;
  const expected =
    typeof subType === "string" && Object.hasOwn(BUTTON_PARAMETER, subType)
      ? BUTTON_PARAMETER[subType as keyof typeof BUTTON_PARAMETER]
      : undefined;
  if (subType === undefined) out.missing(`${path}/sub_type`, '"quick_reply", "url" or "copy_code"');
  else if (expected === undefined) {
    out.invalid(
      `${path}/sub_type`,
      `must be "quick_reply", "url" or "copy_code", got ${describe(subType)}`,
    );
  }
  const index = button.index;
  if (index === undefined) out.missing(`${path}/index`, 'the button\'s position, "0" to "9"');
  else if (
    !(typeof index === "string"
      ? /^[0-9]$/.test(index)
      : Number.isInteger(index) && (index as number) >= 0 && (index as number) <= 9)
  ) {
    out.invalid(`${path}/index`, `must be the button's position, "0" to "9"`);
  }
  const parameters = button.parameters;
  if (parameters === undefined) {
    out.missing(`${path}/parameters`, "one parameter for the button");
    return;
  }
  checkArray(out, `${path}/parameters`, parameters, {
    min: 1,
    max: 1,
    item: "a parameter",
    check: (inner, at, item) => checkButtonParameter(inner, at, item, expected),
  });
}

function checkButtonParameter(
  out: Details,
  path: string,
  value: unknown,
  expected: "payload" | "text" | "coupon_code" | undefined,
): void {
  if (!isObject(value)) {
    out.invalid(path, `must be a parameter object, got ${describe(value)}`);
    return;
  }
  const { type } = value;
  const types = expected === undefined ? ["payload", "text", "coupon_code"] : [expected];
  if (typeof type !== "string" || !types.includes(type)) {
    if (type === undefined) out.missing(`${path}/type`, types.join(" or "));
    else
      out.invalid(
        `${path}/type`,
        `must be ${types.map((t) => JSON.stringify(t)).join(" or ")} for this button, got ${describe(type)}`,
      );
    return;
  }
  checkKeys(out, path, value, ["type", type], `a ${type} parameter`);
  checkRequiredText(out, `${path}/${type}`, value[type], `the button's ${type}`);
}

function checkRequiredText(out: Details, path: string, value: unknown, expected: string): void {
  if (value === undefined) out.missing(path, expected);
  else checkText(out, path, value, { nonEmpty: true, trim: true, max: MAX_PARAMETER_TEXT });
}

function checkObject(
  out: Details,
  path: string,
  value: unknown,
  keys: readonly string[],
  noun: string,
  inner: (fields: Fields) => void,
): void {
  if (value === undefined) {
    out.missing(path, `${noun} object`);
    return;
  }
  if (!isObject(value)) {
    out.invalid(path, `must be ${noun} object, got ${describe(value)}`);
    return;
  }
  checkKeys(out, path, value, keys, `${noun} object`);
  inner(value);
}

function checkPattern(
  out: Details,
  path: string,
  value: unknown,
  pattern: RegExp,
  rule: { hint: string; max?: number },
): void {
  if (typeof value !== "string") {
    out.invalid(path, `must be a string, got ${describe(value)}`);
    return;
  }
  if (rule.max !== undefined && value.length > rule.max) {
    out.invalid(path, `must be at most ${rule.max} characters, got ${value.length}`);
  } else if (!pattern.test(value)) out.invalid(path, rule.hint);
}

function checkKeys(
  out: Details,
  path: string,
  value: Fields,
  keys: readonly string[],
  noun: string,
): void {
  for (const key of Object.keys(value)) {
    if (out.full) return;
    if (!keys.includes(key)) {
      out.unknown(
        `${path}/${pointerSegment(key)}`,
        `${noun} takes ${keys.map((k) => JSON.stringify(k)).join(", ")}`,
      );
    }
  }
}

function isObject(value: unknown): value is Fields {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
