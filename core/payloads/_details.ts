/**
 * Collects the `details[]` of a `VALIDATION_ERROR` (docs/api.md#errors) so that every message has one
 * form: `<What> "<where>": <reason>`, e.g. `Invalid field "to[2]": must be an email address`.
 *
 * @module
 */
import type { ErrorDetail } from "../domain.ts";

/**
 * Most details one body can earn. A 1 MiB body of `[1,1,1,…]` would otherwise turn into ~50 MB of
 * details; past this many the caller has enough to fix, and the list says it was cut.
 *
 * @example
 * ```ts
 * import { validateSendPayload } from "./validate.ts";
 *
 * const body = { to: "+5511999999999", body: "hi", ...Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`x${i}`, i])) };
 * const result = validateSendPayload("sms", body);
 * result.ok ? 0 : result.details.length; // 101: MAX_DETAILS, then a note that the list was cut
 * ```
 */
export const MAX_DETAILS = 100;

/** Longest key shown in a message; the full key stays in the `path`. */
const MAX_SHOWN = 40;

/**
 * Collects details, at most {@linkcode MAX_DETAILS} of them.
 *
 * @example
 * ```ts
 * const out = new Details();
 * out.missing("/number", "a phone number");
 * out.invalid("/files/0", "must be an absolute http(s) URL");
 * out.list();
 * // [{ path: "/number", message: 'Missing field "number": expected a phone number' },
 * //  { path: "/files/0", message: 'Invalid field "files[0]": must be an absolute http(s) URL' }]
 * ```
 */
export class Details {
  readonly #list: ErrorDetail[] = [];
  #cut = false;

  /** `true` once a detail had to be left out: loops over huge arrays may stop then. */
  get full(): boolean {
    return this.#cut;
  }

  /** `true` while nothing was reported. */
  get empty(): boolean {
    return this.#list.length === 0;
  }

  /** Reports a problem at a JSON pointer with a complete message. */
  add(path: string, message: string): void {
    if (this.#list.length >= MAX_DETAILS) this.#cut = true;
    else this.#list.push({ path, message });
  }

  /** Reports a required field that is absent; `expected` is a noun phrase (`a phone number …`). */
  missing(path: string, expected: string): void {
    this.add(path, `Missing field "${labelOf(path)}": expected ${expected}`);
  }

  /** Reports a present value that breaks a rule; `reason` reads after the field (`must be …`). */
  invalid(path: string, reason: string): void {
    this.add(path, `Invalid field "${labelOf(path)}": ${reason}`);
  }

  /** Reports a key nested in a field that its object does not take; `reason` says what it takes. */
  unknown(path: string, reason: string): void {
    this.add(path, `Unknown field "${labelOf(path)}": ${reason}`);
  }

  /** The details, ending with a note when some were left out. */
  list(): ErrorDetail[] {
    if (!this.#cut) return this.#list;
    const note = `Too many problems: only the first ${MAX_DETAILS} are listed`;
    return [...this.#list, { path: "", message: note }];
  }
}

/**
 * Escapes one JSON-pointer segment (RFC 6901: `~` → `~0`, `/` → `~1`).
 *
 * @param key An object key, any text.
 * @returns The key as it appears between slashes in a pointer.
 * @example
 * ```ts
 * pointerSegment("a/b~c"); // "a~1b~0c"
 * ```
 */
export function pointerSegment(key: string): string {
  return key.replaceAll("~", "~0").replaceAll("/", "~1");
}

/**
 * Quotes a name for a message, escaping what would make the message ambiguous and cutting what
 * would make it long.
 *
 * @param name A key as given.
 * @returns It, JSON-quoted, at most 40 characters plus `…`.
 * @example
 * ```ts
 * quote('say "hi"'); // '"say \\"hi\\""'
 * ```
 */
export function quote(name: string): string {
  const shown = name.length > MAX_SHOWN ? `${name.slice(0, MAX_SHOWN)}…` : name;
  return JSON.stringify(shown);
}

/**
 * Names a value's JSON type for `got …` in messages.
 *
 * @param value Anything.
 * @returns `null`, `an array`, `a string`, `a number`, `a boolean`, `an object`, `undefined`…
 * @example
 * ```ts
 * describe([1]); // "an array"
 * ```
 */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    case "undefined":
      return "undefined";
    default:
      // bigint, symbol, function: only reachable from code, never from JSON.
      return `a ${typeof value}`;
  }
}

/**
 * Turns `/to/2` into `to[2]` and `/metadata/a~1b` into `metadata["a/b"]`, readable in prose. The
 * first segment is always a field of the payload, so only nested keys need quoting.
 */
function labelOf(path: string): string {
  const segments = path.split("/").slice(1);
  let label = decode(segments[0] ?? "");
  for (let i = 1; i < segments.length; i++) {
    const segment = decode(segments[i] ?? "");
    if (/^(0|[1-9][0-9]*)$/.test(segment)) label += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(segment)) label += `.${segment}`;
    else label += `[${quote(segment)}]`;
  }
  return label;
}

function decode(segment: string): string {
  return segment.replaceAll("~1", "/").replaceAll("~0", "~");
}
