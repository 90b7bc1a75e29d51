/**
 * The problems inside a template of Meta's form, each at its own JSON pointer, by Meta's own
 * rules: component types `header`, `body` and `button`; a body takes text, currency and
 * date_time parameters, a header also media; a button one payload, text or coupon code by its
 * `sub_type`.
 *
 * @module
 */
import { type Details, describe } from "./_details.ts";
import { checkArray } from "./_lists.ts";
import {
  checkKeys,
  checkObject,
  checkPattern,
  checkRequiredText,
  type Fields,
  isObject,
  MAX_PARAMETER_TEXT,
} from "./_template_fields.ts";
import { checkText } from "./_text.ts";
import { checkHttpUrl } from "./_urls.ts";

const MAX_NAME = 512;
const MAX_COMPONENTS = 20;
const MAX_PARAMETERS = 100;

const TEMPLATE_NAME = /^[a-z0-9_]+$/;
const LOCALE = /^[a-z]{2,3}(_[A-Z]{2})?$/;
const PARAMETER_NAME = /^[a-z0-9_]{1,64}$/;
const CURRENCY_CODE = /^[A-Z]{3}$/;

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
