/**
 * openAttachments() against real HTTP servers on 127.0.0.1, through the real guarded fetcher:
 * the address check on every hop, answers that refuse a file, the limits (declared and counted
 * as the bytes flow), the time the servers have, and what a provider meets when a file breaks
 * off mid-way.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import {
  AttachmentStreamError,
  findAttachmentError,
} from "../../../adapters/attachments/attachment_stream_error.ts";
import {
  type FetchAttachment,
  guardedAttachmentFetch,
} from "../../../adapters/attachments/guarded_fetch.ts";
import { openAttachments } from "../../../adapters/attachments/open_attachments.ts";
import type { EmailAttachment } from "../../../core/ports/providers.ts";

const MIB = 1024 * 1024;
const allowing = guardedAttachmentFetch({ allowPrivate: true });
const refusing = guardedAttachmentFetch({ allowPrivate: false });

let server: ReturnType<typeof Bun.serve>;
/** Raw HTTP, for answers Bun.serve would tidy up: a declared length, a body cut short. */
let raw: Server;
/** Bytes the endless file has handed out, per request. */
const endlessServed: number[] = [];

/**
 * `/length/N`: announces N bytes, sends 1 KiB and waits. `/cut`: announces 1 MiB, sends 64 KiB
 * and closes the connection.
 */
function startRawServer(): Promise<Server> {
  const server = createServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", (request) => {
      const path = request.toString("latin1").split(" ")[1] ?? "";
      const length = path === "/cut" ? MIB : Number(path.split("/")[2]);
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\n\r\n`);
      socket.write(Buffer.alloc(path === "/cut" ? 64 * 1024 : 1024, 97));
      if (path === "/cut") socket.end();
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

beforeAll(async () => {
  raw = await startRawServer();
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      switch (url.pathname) {
        case "/file.csv":
          return new Response("a,b\n1,2\n", {
            headers: { "content-type": "text/csv; charset=utf-8" },
          });
        case "/octets":
          return new Response("x", { headers: { "content-type": "application/octet-stream" } });
        case "/to-file":
          return Response.redirect(`${url.origin}/file.csv`, 301);
        case "/to-metadata":
          return Response.redirect("http://169.254.169.254/latest/meta-data/", 302);
        case "/loop":
          return Response.redirect(`${url.origin}/loop`, 302);
        case "/endless": {
          const index = endlessServed.push(0) - 1;
          const chunk = new Uint8Array(256 * 1024).fill(98);
          return new Response(
            new ReadableStream({
              pull(controller) {
                endlessServed[index] = (endlessServed[index] ?? 0) + chunk.byteLength;
                controller.enqueue(chunk);
              },
            }),
          );
        }
        case "/hangs":
          await new Promise((resolve) => request.signal.addEventListener("abort", resolve));
          return new Response("late");
        default:
          return new Response("not here", { status: 404 });
      }
    },
  });
});
afterAll(() => {
  server.stop(true);
  raw.close();
});

const at = (path: string) => `${server.url.origin}${path}`;
const rawAt = (path: string) =>
  `http://127.0.0.1:${(raw.address() as { port: number }).port}${path}`;

async function read(attachment: EmailAttachment | undefined): Promise<string> {
  if (attachment === undefined || !("stream" in attachment.content)) throw new Error("no stream");
  return new Response(attachment.content.stream).text();
}

describe("openAttachments()", () => {
  test("base64 content stays as given; a URL's body is a stream, its type from the answer", async () => {
    const result = await openAttachments(
      [
        { filename: "a.txt", content: "aGk=" },
        { filename: "b.csv", url: at("/to-file") },
        { filename: "c.bin", url: at("/octets") },
        { filename: "d.csv", contentType: "text/plain", url: at("/file.csv") },
      ],
      { fetch: allowing, timeoutMs: 2000 },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.details));
    const [a, b, c, d] = result.opened.list;
    expect(a).toEqual({ filename: "a.txt", content: { base64: "aGk=" } });
    expect(b?.contentType).toBe("text/csv");
    expect(await read(b)).toBe("a,b\n1,2\n");
    // application/octet-stream says less than the file name does: left to the provider.
    expect(c?.contentType).toBeUndefined();
    expect(d?.contentType).toBe("text/plain");
    result.opened.close();
  });

  test("a private address is refused when private addresses are not allowed", async () => {
    const result = await openAttachments([{ filename: "a.csv", url: at("/file.csv") }], {
      fetch: refusing,
      timeoutMs: 2000,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.details).toEqual([
      {
        path: "/attachments/0/url",
        message: expect.stringMatching(
          /^Invalid field "attachments\[0\]\.url": could not be fetched: .*host "127\.0\.0\.1" is a loopback address.*SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true/,
        ),
      },
    ]);
  });

  test("a name is judged by what it resolves to, at connect", async () => {
    const lookupToPrivate = guardedAttachmentFetch({
      allowPrivate: false,
      lookup: async () => ["10.0.0.7"],
    });
    const result = await openAttachments(
      [{ filename: "a.pdf", url: "https://files.shop.example/a.pdf" }],
      { fetch: lookupToPrivate, timeoutMs: 2000 },
    );
    const message = !result.ok && result.details[0]?.message;
    expect(message).toContain(
      'Refused host "files.shop.example": it resolves to a non-public address',
    );
    // The address a name resolved to is never shown: it would map a private network.
    expect(message).not.toContain("10.0.0.7");
  });

  test("every redirect hop passes the check again", async () => {
    const hops: string[] = [];
    // The first hop is allowed (the test's server), every other goes through the strict check.
    const firstAllowed: FetchAttachment = (url, signal) => {
      hops.push(url);
      return hops.length === 1 ? allowing(url, signal) : refusing(url, signal);
    };
    const result = await openAttachments([{ filename: "m", url: at("/to-metadata") }], {
      fetch: firstAllowed,
      timeoutMs: 2000,
    });
    expect(hops).toEqual([at("/to-metadata"), "http://169.254.169.254/latest/meta-data/"]);
    expect(!result.ok && result.details[0]?.message).toContain("169.254.169.254");
  });

  test.each([
    ["/missing", "the server answered HTTP 404", at],
    ["/loop", "it redirects more than 5 times", at],
    [
      `/length/${11 * MIB}`,
      "must be a file of at most 10 MiB; the server announces 11534336 bytes",
      rawAt,
    ],
  ])("%s is refused: %s", async (path, words, on) => {
    const result = await openAttachments(
      [
        { filename: "ok.csv", url: at("/file.csv") },
        { filename: "bad", url: on(path) },
      ],
      { fetch: allowing, timeoutMs: 2000 },
    );
    expect(!result.ok && result.details.map((d) => d.path)).toEqual(["/attachments/1/url"]);
    expect(!result.ok && result.details[0]?.message).toContain(words);
  });

  test("files that announce more than 25 MiB in all are refused before anything is read", async () => {
    const nine = { filename: "nine.bin", url: rawAt(`/length/${9 * MIB}`) };
    const result = await openAttachments([nine, nine, nine], { fetch: allowing, timeoutMs: 2000 });
    expect(!result.ok && result.details).toEqual([
      {
        path: "/attachments",
        message: expect.stringContaining("must hold at most 25 MiB in all"),
      },
    ]);
  });

  test("a server that does not answer in time is refused", async () => {
    const started = performance.now();
    const result = await openAttachments([{ filename: "slow", url: at("/hangs") }], {
      fetch: allowing,
      timeoutMs: 200,
    });
    expect(!result.ok && result.details[0]?.message).toContain("No answer within 200 ms");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  test("a file without a length that grows past 10 MiB stops the stream there, read no further", async () => {
    const result = await openAttachments([{ filename: "big.bin", url: at("/endless") }], {
      fetch: allowing,
      timeoutMs: 2000,
    });
    if (!result.ok) throw new Error("expected the file to open");
    const attachment = result.opened.list[0];
    const failure = await read(attachment).then(
      () => null,
      (error: unknown) => error,
    );
    const found = findAttachmentError(failure);
    expect(found).toBeInstanceOf(AttachmentStreamError);
    expect(found?.faultCode).toBe("attachment_too_large");
    expect(found?.temporary).toBe(false);
    expect(found?.path).toBe("/attachments/0/url");
    result.opened.close();
    // The download stops there: once closed, the server hands out at most one more chunk (the
    // socket buffers aside, it gave about the limit, not an endless file).
    const servedAtClose = endlessServed.at(-1) ?? 0;
    expect(servedAtClose).toBeLessThan(40 * MIB);
    await Bun.sleep(200);
    expect((endlessServed.at(-1) ?? 0) - servedAtClose).toBeLessThanOrEqual(256 * 1024);
  });

  test("a file whose server breaks off fails as temporary", async () => {
    const result = await openAttachments([{ filename: "b.bin", url: rawAt("/cut") }], {
      fetch: allowing,
      timeoutMs: 2000,
    });
    if (!result.ok) throw new Error("expected the file to open");
    const failure = await read(result.opened.list[0]).then(
      () => null,
      (error: unknown) => error,
    );
    const found = findAttachmentError(failure);
    expect(found?.faultCode).toBe("attachment_unavailable");
    expect(found?.temporary).toBe(true);
  });

  test("close() ends fetches nobody read", async () => {
    const result = await openAttachments([{ filename: "big.bin", url: at("/endless") }], {
      fetch: allowing,
      timeoutMs: 2000,
    });
    if (!result.ok) throw new Error("expected the file to open");
    result.opened.close();
    const failure = await read(result.opened.list[0]).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).not.toBeNull();
  });
});
