/**
 * HTML built from template literals where every interpolated value is escaped unless it is
 * already {@linkcode SafeHtml}: user-provided text (names, URLs, error messages) can never
 * become markup.
 *
 * @module
 */

/** Markup that is already safe to place in a page. */
export class SafeHtml {
  readonly value: string;

  constructor(value: string) {
    this.value = value;
  }

  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text is escaped, `SafeHtml` kept, arrays joined, nullish dropped. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | HtmlValue[];

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/**
 * Escapes text for HTML content and (quoted) attribute values.
 *
 * @example
 * escapeHtml('<b title="x">'); // "&lt;b title=&quot;x&quot;&gt;"
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);
}

/**
 * The tagged template every view uses.
 *
 * @example
 * html`<p>${userName}</p>`; // userName is escaped
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i++) {
    out += render(values[i]) + (strings[i + 1] ?? "");
  }
  return new SafeHtml(out);
}

/** Joins fragments without a separator. */
export function join(parts: HtmlValue[]): SafeHtml {
  return new SafeHtml(parts.map(render).join(""));
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}
