/**
 * Opens an e-mail's attachments before anything is sent (README "E-mail attachments"): each
 * `url` is requested through the address check, following at most 5 redirects (each hop
 * checked again), and must answer 2xx within the time given, declaring no more than the limits.
 * Its body is not read here: the provider reads it as a stream, counted as it flows, so no file
 * is ever held whole by the server twice and a file that grows past 10 MiB (or all of them past
 * 25 MiB) stops the send.
 *
 * @module
 */
import { Details } from "../../core/payloads/_details.ts";
import {
  base64DecodedSize,
  type EmailAttachmentInput,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_TOTAL_BYTES,
} from "../../core/payloads/_email_attachments.ts";
import type { OpenAttachmentsResult } from "../../core/ports/attachment_opener.ts";
import type { EmailAttachment } from "../../core/ports/providers.ts";
import { AttachmentStreamError } from "./attachment_stream_error.ts";
import type { FetchAttachment } from "./guarded_fetch.ts";

const MAX_REDIRECTS = 5;
const MIB = 1024 * 1024;

/** How to open them. */
export interface OpenAttachmentsOptions {
  fetch: FetchAttachment;
  /** How long the servers may take to answer (headers only; the body flows during the send). */
  timeoutMs: number;
}

/** Bytes counted so far across one e-mail's attachments. */
interface Budget {
  total: number;
}

/**
 * Opens every attachment of an e-mail payload.
 *
 * @param attachments the validated payload's `attachments` (or `undefined`)
 * @param options the fetcher and the time the servers have to answer
 * @returns the attachments ready to send, or one detail per attachment that cannot be had
 */
export async function openAttachments(
  attachments: readonly EmailAttachmentInput[] | undefined,
  options: OpenAttachmentsOptions,
): Promise<OpenAttachmentsResult> {
  const controller = new AbortController();
  const close = () => controller.abort(new Error("The send is over"));
  if (attachments === undefined || attachments.length === 0) {
    return { ok: true, opened: { list: [], close } };
  }
  const budget: Budget = { total: 0 };
  for (const { content } of attachments) {
    if (content !== undefined) budget.total += base64DecodedSize(content);
  }
  const timer = setTimeout(
    () => controller.abort(new Error(`No answer within ${options.timeoutMs} ms`)),
    options.timeoutMs,
  );
  const out = new Details();
  const list = await Promise.all(
    attachments.map((attachment, i) =>
      openOne(attachment, `/attachments/${i}/url`, { ...options, controller, budget, out }),
    ),
  );
  clearTimeout(timer);
  if (out.empty && budget.total > MAX_ATTACHMENTS_TOTAL_BYTES) {
    out.invalid(
      "/attachments",
      `must hold at most ${MAX_ATTACHMENTS_TOTAL_BYTES / MIB} MiB in all; the servers announce ${budget.total} bytes`,
    );
  }
  if (!out.empty) {
    close();
    return { ok: false, details: out.list() };
  }
  return { ok: true, opened: { list: list as EmailAttachment[], close } };
}

async function openOne(
  attachment: EmailAttachmentInput,
  path: string,
  context: OpenAttachmentsOptions & {
    controller: AbortController;
    budget: Budget;
    out: Details;
  },
): Promise<EmailAttachment | null> {
  const described = {
    filename: attachment.filename,
    ...(attachment.contentType === undefined ? {} : { contentType: attachment.contentType }),
    ...(attachment.contentId === undefined ? {} : { contentId: attachment.contentId }),
  };
  if (attachment.content !== undefined) {
    return { ...described, content: { base64: attachment.content } };
  }
  const url = attachment.url as string;
  const answer = await request(url, context);
  if (!answer.ok) {
    context.out.invalid(path, `could not be fetched: ${answer.reason}`);
    return null;
  }
  const { response } = answer;
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > MAX_ATTACHMENT_BYTES) {
    await response.body?.cancel().catch(() => undefined);
    context.out.invalid(
      path,
      `must be a file of at most ${MAX_ATTACHMENT_BYTES / MIB} MiB; the server announces ${declared} bytes`,
    );
    return null;
  }
  if (declared > 0) context.budget.total += declared;
  const contentType = described.contentType ?? usefulType(response.headers.get("content-type"));
  const body = response.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() });
  // The declared length is already in the budget; the counter then counts what really comes.
  const counted = Number.isFinite(declared) && declared > 0 ? declared : 0;
  return {
    ...described,
    ...(contentType === undefined ? {} : { contentType }),
    content: { stream: countedStream(body, path, context.budget, counted) },
  };
}

/** The GET of a URL, following redirects itself so each hop passes the address check. */
async function request(
  url: string,
  context: OpenAttachmentsOptions & { controller: AbortController },
): Promise<{ ok: true; response: Response } | { ok: false; reason: string }> {
  let current = url;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      response = await context.fetch(current, context.controller.signal);
    } catch (error) {
      const reason = context.controller.signal.aborted
        ? String((context.controller.signal.reason as Error).message)
        : (error as Error).message;
      return { ok: false, reason };
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel().catch(() => undefined);
      const next = URL.parse(location, current);
      if (next === null || (next.protocol !== "http:" && next.protocol !== "https:")) {
        return { ok: false, reason: `it redirects to "${location}", not an http(s) URL` };
      }
      current = next.href;
      continue;
    }
    if (response.status < 200 || response.status > 299) {
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, reason: `the server answered HTTP ${response.status}` };
    }
    return { ok: true, response };
  }
  return { ok: false, reason: `it redirects more than ${MAX_REDIRECTS} times` };
}

/**
 * The file's bytes, counted as they flow: past 10 MiB, or once all of the e-mail's files pass
 * 25 MiB, the stream fails with an {@linkcode AttachmentStreamError}, and so does the send; so
 * does a server that breaks off. Pulled, so a slow provider slows the download down rather than
 * letting it pile up in memory.
 */
function countedStream(
  body: ReadableStream<Uint8Array>,
  path: string,
  budget: Budget,
  declared: number,
): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  let seen = 0;
  const fail = (
    controller: ReadableStreamDefaultController<Uint8Array>,
    error: AttachmentStreamError,
  ) => {
    controller.error(error);
    void reader.cancel(error).catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>;
      try {
        next = await reader.read();
      } catch (error) {
        const reason = `${path}: the file's server broke off (${(error as Error).message})`;
        fail(controller, new AttachmentStreamError(path, "attachment_unavailable", reason));
        return;
      }
      if (next.done) {
        controller.close();
        return;
      }
      const before = seen;
      seen += next.value.byteLength;
      // Bytes beyond the declared length were not in the budget yet.
      budget.total += Math.max(0, seen - Math.max(declared, before));
      if (seen > MAX_ATTACHMENT_BYTES) {
        const reason = `${path}: the file is larger than ${MAX_ATTACHMENT_BYTES / MIB} MiB`;
        fail(controller, new AttachmentStreamError(path, "attachment_too_large", reason));
      } else if (budget.total > MAX_ATTACHMENTS_TOTAL_BYTES) {
        const reason = `${path}: the attachments hold more than ${MAX_ATTACHMENTS_TOTAL_BYTES / MIB} MiB in all`;
        fail(controller, new AttachmentStreamError(path, "attachment_too_large", reason));
      } else controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** The answer's media type, unless it says nothing more than the file name would. */
function usefulType(header: string | null): string | undefined {
  const type = header?.split(";")[0]?.trim().toLowerCase();
  if (type === undefined || type === "application/octet-stream") return undefined;
  return /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type) ? type : undefined;
}
