/**
 * HTTP/1.x requests written byte by byte to a real socket, so a test can send what `fetch`
 * never would: no or a malformed `Host`, any method, lying or huge bodies. Every request asks
 * for `Connection: close`; the answer is read until the server closes.
 */
import { connect } from "node:net";

/** An answer as it came off the wire. */
export interface RawAnswer {
  status: number;
  /** Header names lower-cased; a repeated header keeps its last value. */
  headers: Map<string, string>;
  body: string;
  /** The whole answer, for failure messages. */
  raw: string;
}

/** What to write: the head's parts and the body. */
export interface RawRequest {
  method: string;
  target: string;
  version: "HTTP/1.1" | "HTTP/1.0";
  /** Written in order, as given (no `Host` unless listed). */
  headers: [string, string][];
  body?: Uint8Array;
  /**
   * `length` writes `Content-Length`, `chunked` a chunked body, `as-given` only the headers
   * listed (to lie about the length); default `length` when a body is given.
   */
  framing?: "length" | "chunked" | "as-given";
}

const encoder = new TextEncoder();

/** The bytes of a request. */
export function requestBytes(request: RawRequest): Uint8Array {
  const lines = [`${request.method} ${request.target} ${request.version}`];
  for (const [name, value] of request.headers) lines.push(`${name}: ${value}`);
  lines.push("Connection: close");
  const body = request.body;
  const framing = body === undefined ? null : (request.framing ?? "length");
  if (framing === "length") lines.push(`Content-Length: ${body!.length}`);
  if (framing === "chunked") lines.push("Transfer-Encoding: chunked");
  const head = latin1(`${lines.join("\r\n")}\r\n\r\n`);
  if (body === undefined) return head;
  const parts = [head];
  if (framing === "chunked") {
    if (body.length > 0)
      parts.push(encoder.encode(`${body.length.toString(16)}\r\n`), body, encoder.encode("\r\n"));
    parts.push(encoder.encode("0\r\n\r\n"));
  } else parts.push(body);
  return concat(parts);
}

/**
 * Writes the request and reads the answer until the server closes the connection.
 *
 * @throws {Error} when nothing that starts like an HTTP answer came back within `timeoutMs`
 */
export function rawRequest(
  port: number,
  request: RawRequest,
  timeoutMs = 10_000,
): Promise<RawAnswer> {
  const bytes = requestBytes(request);
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks).toString("latin1");
      const parsed = parseAnswer(raw);
      if (parsed === null)
        reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 300))}`));
      else resolve(parsed);
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", finish);
    // The server may answer and close before a large body is written: that is not a failure.
    socket.on("error", () => undefined);
    // Written, not ended: Bun drops the answer to a request whose client half-closed.
    socket.on("connect", () => socket.write(bytes));
  });
}

function parseAnswer(raw: string): RawAnswer | null {
  const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(raw);
  const headEnd = raw.indexOf("\r\n\r\n");
  if (match === null || headEnd === -1) return null;
  const headers = new Map<string, string>();
  for (const line of raw.slice(match[0].length, headEnd).split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.slice(headEnd + 4);
  if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") body = unchunk(body);
  return {
    status: Number(match[1]),
    headers,
    body: Buffer.from(body, "latin1").toString("utf8"),
    raw,
  };
}

function unchunk(text: string): string {
  let out = "";
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf("\r\n", at);
    if (lineEnd === -1) return out;
    const size = Number.parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
