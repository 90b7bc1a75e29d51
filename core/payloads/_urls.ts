/**
 * Absolute http(s) URLs in payloads (WhatsApp `url` and `files`, SMS `mediaUrls`), parsed with
 * the WHATWG `URL` so that what passes here is what a provider will fetch.
 *
 * @module
 */
import { classifyAddress } from "../address_safety.ts";
import { type Details, describe } from "./_details.ts";
import { isCleanText } from "./_text.ts";

/**
 * Scheme and shape of an absolute http(s) URL (scheme in any case, no whitespace). It goes into
 * the schemas; {@linkcode httpUrlFault} then parses the URL itself.
 *
 * @example
 * ```ts
 * HTTP_URL.test("https://landing.com/deck.pdf"); // true
 * ```
 */
export const HTTP_URL: RegExp = /^[Hh][Tt][Tt][Pp][Ss]?:\/\/\S+$/;

const EXPECTED = "an absolute http(s) URL, e.g. https://example.com/file.pdf";

// Names that never resolve on the public Internet: RFC 6761 (localhost), RFC 6762 (local),
// RFC 8375 (home.arpa), ICANN's 2024 reservation (internal), and the common home-router "lan".
const LOCAL_NAME = /(?:^|\.)(?:localhost|local|internal|lan|home\.arpa)$/;

/**
 * Why a string is not an acceptable URL, if it is not.
 *
 * @param value The string as given.
 * @param mustBePublic Also refuse hosts a provider cannot reach (SMS `mediaUrls`).
 * @returns A reason that reads after the field (`must be …`), or `undefined` when fine.
 * @example
 * ```ts
 * httpUrlFault("https://landing.com/deck.pdf", true); // undefined
 * httpUrlFault("http://127.0.0.1/a.png", true);       // 'must point to a public host, …'
 * ```
 */
export function httpUrlFault(value: string, mustBePublic: boolean): string | undefined {
  if (!isCleanText(value)) return `must be ${EXPECTED}`;
  if (!HTTP_URL.test(value)) return `must be ${EXPECTED}${schemeHint(value)}`;
  const url = URL.parse(value);
  if (url === null) return `must be ${EXPECTED} (this one cannot be parsed)`;
  if (mustBePublic && !isPublicHost(url.hostname)) {
    return "must point to a public host that the provider can fetch from";
  }
  return undefined;
}

/**
 * Reports a present value that is not an acceptable URL.
 *
 * @param out Where problems go.
 * @param path JSON pointer of the value.
 * @param value The value as given.
 * @param mustBePublic See {@linkcode httpUrlFault}.
 * @example
 * ```ts
 * import { Details } from "./_details.ts";
 *
 * const out = new Details();
 * checkHttpUrl(out, "/files/0", "landing.com/deck.pdf", false);
 * out.list()[0]?.message; // …(add "https://")
 * ```
 */
export function checkHttpUrl(
  out: Details,
  path: string,
  value: unknown,
  mustBePublic: boolean,
): void {
  if (typeof value !== "string") {
    out.invalid(path, `must be ${EXPECTED}, got ${describe(value)}`);
    return;
  }
  const fault = httpUrlFault(value, mustBePublic);
  if (fault !== undefined) out.invalid(path, fault);
}

function schemeHint(value: string): string {
  if (/\s/.test(value)) return " (without spaces; encode them as %20)";
  if (/^[a-z][a-z0-9+.-]*:/i.test(value)) return " (only http and https are accepted)";
  return ' (add "https://")';
}

// The WHATWG parser has already turned `0x7f.1` or `2130706433` into 127.0.0.1, so an address
// in any spelling is judged by what it is. Names are judged by shape only: DNS is not core's.
function isPublicHost(hostname: string): boolean {
  const addressClass = classifyAddress(hostname);
  if (addressClass !== "invalid") return addressClass === "public";
  const name = hostname.endsWith(".") ? hostname.slice(0, -1) : hostname;
  return name.includes(".") && !LOCAL_NAME.test(name);
}
