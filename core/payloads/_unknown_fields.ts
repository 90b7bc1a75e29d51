/**
 * Unknown body fields (docs/api.md#sending: "typos must not pass silently"): one detail per field, with
 * the field the caller most likely meant.
 *
 * @module
 */
import { type Details, pointerSegment, quote } from "./_details.ts";

/**
 * The fields one payload accepts, and what callers of the other payloads tend to send instead.
 *
 * @example
 * ```ts
 * const sms: Vocabulary = { label: "SMS", fields: ["to", "body"], synonyms: new Map([["number", "to"]]) };
 * ```
 */
export interface Vocabulary {
  /** Channel name for messages: `WhatsApp`. */
  label: string;
  /** Accepted fields, in the order the SPEC lists them. */
  fields: readonly string[];
  /** Field names of other channels or APIs, lower-cased without `_`/`-`, mapped to ours. */
  synonyms: ReadonlyMap<string, string>;
}

/** Keys longer than this get no suggestion: no field name is anywhere near that long. */
const MAX_SUGGESTED_KEY = 64;

/**
 * Reports every own key of `body` that the vocabulary does not know, besides `channelType`
 * (which the caller checks against the token).
 *
 * @param out Where problems go.
 * @param body The request body.
 * @param vocabulary What the token's payload accepts.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 * import { WHATSAPP_RULES } from "./whatsapp.ts";
 *
 * const out = new Details();
 * checkUnknownFields(out, { nmber: "5511999999999" }, WHATSAPP_RULES.vocabulary);
 * out.list(); // [{ path: "/nmber", message: 'Unknown field "nmber": did you mean "number"?' }]
 * ```
 */
export function checkUnknownFields(
  out: Details,
  body: Record<string, unknown>,
  vocabulary: Vocabulary,
): void {
  for (const key of Object.keys(body)) {
    if (out.full) return;
    if (key === "channelType" || vocabulary.fields.includes(key)) continue;
    const guess = suggest(key, vocabulary);
    const reason =
      guess === undefined
        ? `${vocabulary.label} payloads take ${list(vocabulary.fields)}`
        : `did you mean "${guess}"?`;
    out.add(`/${pointerSegment(key)}`, `Unknown field ${quote(key)}: ${reason}`);
  }
}

/**
 * The known field a caller probably meant by `key`: same name in another case or spelling
 * (`media_urls`), a usual name from another channel (`to` on WhatsApp), or a typo within one
 * edit for short names and two for longer ones.
 *
 * @param key The unknown key.
 * @param vocabulary What the payload accepts.
 * @returns A known field, or `undefined` when nothing is close.
 * @example
 * ```ts
 * import { WHATSAPP_RULES } from "./whatsapp.ts";
 *
 * suggest("nmber", WHATSAPP_RULES.vocabulary); // "number"
 * ```
 */
export function suggest(key: string, vocabulary: Vocabulary): string | undefined {
  if (key.length > MAX_SUGGESTED_KEY) return undefined;
  const wanted = squash(key);
  const synonym = vocabulary.synonyms.get(wanted);
  if (synonym !== undefined) return synonym;
  let best: string | undefined;
  let bestDistance = wanted.length <= 4 ? 1 : 2;
  for (const field of vocabulary.fields) {
    const distance = editDistance(wanted, squash(field), bestDistance);
    if (distance === 0) return field;
    if (distance < bestDistance || (distance === bestDistance && best === undefined)) {
      best = field;
      bestDistance = distance;
    }
  }
  return best;
}

function squash(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, "");
}

function list(fields: readonly string[]): string {
  return `${fields.slice(0, -1).join(", ")} and ${fields.at(-1)}`;
}

/**
 * Optimal-string-alignment distance (a swap of neighbours counts once: "nmuber" → "number"),
 * cut short once it must exceed `limit`, where it returns `limit + 1`.
 */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let before = new Array<number>(b.length + 1).fill(0);
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  let current = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] ?? 0) + 1);
      }
      current[j] = value;
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[b.length] ?? limit + 1;
}
