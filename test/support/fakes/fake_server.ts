/**
 * The shared body of the provider fakes: a Bun server on 127.0.0.1 (port 0) that records every
 * request and answers from a script, so a test can make the next call fail with the provider's
 * own error shape, answer something that is not JSON, or never answer at all.
 */

/** One request as the fake received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  /** The raw body text. */
  body: string;
  /** When the fake received it, by its clock (ms since the epoch). */
  at: number;
  /** The HTTP status the fake answered (unset while it hangs). */
  status?: number;
}

/**
 * A scripted answer: JSON (or raw text) with a status, optionally after a delay, or no answer
 * until the caller gives up.
 */
export type FakeAnswer =
  | { status: number; json: unknown; headers?: Record<string, string>; delayMs?: number }
  | { status: number; text: string; headers?: Record<string, string>; delayMs?: number }
  | "hang";

/** Decides the normal answer to a request the script does not cover. */
export type FakeHandler = (request: RecordedRequest) => FakeAnswer;

/** A running fake. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Called with each request before it is answered (e.g. to call back while a send waits). */
  onRequest: ((request: RecordedRequest) => void) | null = null;
  readonly #script: FakeAnswer[] = [];
  readonly #server: ReturnType<typeof Bun.serve>;
  /** Requests still hanging; released when the fake stops. */
  readonly #hanging = new Set<() => void>();
  /** The provider's own rate limit, when one is set: requests accepted in the last second. */
  #limit: { perSecond: number; answer: FakeAnswer; accepted: number[] } | null = null;

  /** @param handler answers requests the script does not cover (auth checks, success) */
  constructor(handler: FakeHandler) {
    this.#server = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: async (request) => {
        const url = new URL(request.url);
        const recorded: RecordedRequest = {
          method: request.method,
          path: url.pathname + url.search,
          headers: request.headers,
          body: await request.text(),
          at: Date.now(),
        };
        this.requests.push(recorded);
        this.onRequest?.(recorded);
        const answer = this.#script.shift() ?? this.#overLimit(recorded.at) ?? handler(recorded);
        if (answer !== "hang") recorded.status = answer.status;
        if (answer === "hang") {
          return new Promise<Response>((resolve) => {
            const release = () => resolve(new Response("released", { status: 503 }));
            this.#hanging.add(release);
            request.signal.addEventListener("abort", () => this.#hanging.delete(release));
          });
        }
        if (answer.delayMs !== undefined) await Bun.sleep(answer.delayMs);
        const headers = new Headers(answer.headers);
        if ("json" in answer) {
          headers.set("content-type", "application/json");
          return new Response(JSON.stringify(answer.json), { status: answer.status, headers });
        }
        return new Response(answer.text, { status: answer.status, headers });
      },
    });
  }

  /** `http://127.0.0.1:<port>` */
  get url(): string {
    return `http://127.0.0.1:${this.#server.port}`;
  }

  /** The next requests get these answers, in order, before the normal handler resumes. */
  answerNext(...answers: FakeAnswer[]): void {
    this.#script.push(...answers);
  }

  /**
   * Acts as a provider limited to `perSecond` requests in any second: beyond that (counting
   * only the requests it accepted in the last 1000 ms), it answers `answer` (its 429).
   */
  limitRate(perSecond: number, answer: FakeAnswer): void {
    this.#limit = { perSecond, answer, accepted: [] };
  }

  #overLimit(now: number): FakeAnswer | null {
    const limit = this.#limit;
    if (limit === null) return null;
    while (limit.accepted.length > 0 && limit.accepted[0]! <= now - 1000) limit.accepted.shift();
    if (limit.accepted.length >= limit.perSecond) return limit.answer;
    limit.accepted.push(now);
    return null;
  }

  /** The last request received. */
  last(): RecordedRequest {
    const last = this.requests.at(-1);
    if (last === undefined) throw new Error("the fake received no request");
    return last;
  }

  /** Forgets recorded requests and any unused script. */
  reset(): void {
    this.requests.length = 0;
    this.#script.length = 0;
    this.#limit = null;
    this.onRequest = null;
  }

  async stop(): Promise<void> {
    for (const release of this.#hanging) release();
    this.#hanging.clear();
    await this.#server.stop(true);
  }
}
