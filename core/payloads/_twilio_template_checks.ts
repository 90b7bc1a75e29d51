/**
 * The problems inside a template of Twilio's form (a Content API template): an `HX…` Content
 * SID and string variables named after the template's placeholders.
 *
 * @module
 */
import { type Details, describe, pointerSegment } from "./_details.ts";
import { checkKeys, checkPattern, type Fields, isObject } from "./_template_fields.ts";
import { checkText } from "./_text.ts";

const MAX_VARIABLES = 100;
const MAX_VARIABLE_TEXT = 1024;
const CONTENT_SID = /^HX[0-9a-fA-F]{32}$/;
const VARIABLE_KEY = /^[A-Za-z0-9_]{1,64}$/;

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
