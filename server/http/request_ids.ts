/**
 * One request id per request, readable from any hook (errors included) without Elysia's
 * context: a WeakMap keyed by the `Request` object.
 *
 * @module
 */

/** Hands out and remembers request ids. */
export class RequestIds {
  readonly #ids = new WeakMap<Request, string>();
  readonly #next: () => string;

  constructor(next: () => string) {
    this.#next = next;
  }

  /** The request's id, created on first use. */
  of(request: Request): string {
    let id = this.#ids.get(request);
    if (id === undefined) {
      id = this.#next();
      this.#ids.set(request, id);
    }
    return id;
  }
}
