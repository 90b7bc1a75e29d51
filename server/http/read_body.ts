/**
 * Reads a request body up to a byte limit without buffering more than the limit.
 *
 * @module
 */

/** docs/api.md#errors: bodies over 1 MiB answer 413. */
export const MAX_SEND_BODY_BYTES = 1024 * 1024;

/**
 * Reads at most `maxBytes` of the body; stops reading as soon as the limit is passed.
 *
 * @param request the incoming request
 * @param maxBytes the largest body accepted
 * @returns the bytes, or `"too_large"`
 * @example
 * const body = await readBodyLimited(request, 1024);
 */
export async function readBodyLimited(
  request: Request,
  maxBytes: number,
): Promise<Uint8Array | "too_large"> {
  const declared = request.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) return "too_large";
  // With a declared length the server reads exactly that many bytes, so the native one-shot
  // read is bounded too (and several times cheaper than pulling a stream in JavaScript).
  if (declared !== null && /^\d+$/.test(declared)) return request.bytes();
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return "too_large";
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * Whether a `Content-Type` header names JSON (a `charset` or other parameter is fine).
 *
 * @example
 * isJsonContentType("application/json; charset=utf-8"); // true
 */
export function isJsonContentType(header: string | null): boolean {
  if (header === null) return false;
  const semicolon = header.indexOf(";");
  const type = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  return type === "application/json";
}

/** The largest admin API body: every admin resource is a few hundred bytes. */
export const MAX_ADMIN_BODY_BYTES = 1024 * 1024;

/** A body over its route's limit, thrown from a parse hook and answered 413. */
export class BodyTooLargeError extends Error {
  override readonly name = "BodyTooLargeError";
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`Request body must be at most ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/**
 * The admin API's body parser: reads at most {@linkcode MAX_ADMIN_BODY_BYTES} (a declared or
 * streamed body over it throws {@linkcode BodyTooLargeError}, nothing more is buffered), then
 * JSON when the `Content-Type` says so, the text otherwise (which the route's schema refuses).
 *
 * @throws {BodyTooLargeError} over the limit
 * @throws {SyntaxError} for a JSON `Content-Type` whose body is not JSON
 * @example
 * new Elysia().onParse(({ request, contentType }) => parseAdminBody(request, contentType));
 */
export async function parseAdminBody(request: Request, contentType: string): Promise<unknown> {
  const bytes = await readBodyLimited(request, MAX_ADMIN_BODY_BYTES);
  if (bytes === "too_large") throw new BodyTooLargeError(MAX_ADMIN_BODY_BYTES);
  const text = new TextDecoder().decode(bytes);
  // Never undefined: Elysia would then run its own parser on the body already read.
  if (!isJsonContentType(contentType)) return text;
  return text === "" ? null : JSON.parse(text);
}
