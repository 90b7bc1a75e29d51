/**
 * A streamed file as base64 text, for APIs that take attachments inside a JSON body (Resend):
 * each chunk is encoded as it arrives, its last one or two bytes carried to the next, so the
 * raw bytes are never held whole, only the text the API needs.
 *
 * @module
 */

/**
 * Reads a stream to its end as standard base64.
 *
 * @param stream the file's bytes
 * @returns its base64, padded
 * @throws whatever the stream fails with (an attachment over its limit, a server that broke off)
 * @example
 * await base64Of(new Response("hi").body!); // "aGk="
 */
export async function base64Of(stream: ReadableStream<Uint8Array>): Promise<string> {
  let text = "";
  let carry = new Uint8Array(0);
  for await (const chunk of stream) {
    const bytes = carry.length === 0 ? chunk : concat(carry, chunk);
    const whole = bytes.length - (bytes.length % 3);
    // String `+=` builds a rope: no copy of the text so far on each chunk.
    text += Buffer.from(bytes.buffer, bytes.byteOffset, whole).toString("base64");
    carry = bytes.slice(whole);
  }
  return text + Buffer.from(carry).toString("base64");
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
