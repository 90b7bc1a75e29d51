/**
 * What a provider fake needs to call back like the real provider: the callbacks it posts
 * (status reports, inbound messages, e-mail events), each to a URL this test process can reach
 * while signed over the public URL the provider was given, and a way to wait for them all.
 */

/** The posts a fake has made, and where they go. */
export class Callbacks {
  /**
   * Maps the public URL a provider calls (what it signs) to one that reaches the server under
   * test; `null` keeps callbacks from being sent at all.
   */
  reach: ((publicUrl: string) => string) | null = null;
  /** Every callback posted, as sent (public URL, body, headers). */
  readonly posted: { url: string; body: string; headers: Record<string, string> }[] = [];
  readonly #sent: Promise<number>[] = [];

  /**
   * Posts `body` to `publicUrl` (through {@linkcode reach}) after `delayMs`, as a provider does
   * once it has answered the send.
   */
  post(publicUrl: string, init: { body: string; headers: Record<string, string> }, delayMs = 0) {
    const reach = this.reach;
    if (reach === null) return;
    this.posted.push({ url: publicUrl, ...init });
    const sent = Bun.sleep(delayMs).then(async () => {
      const response = await fetch(reach(publicUrl), {
        method: "POST",
        body: init.body,
        headers: init.headers,
      });
      await response.text();
      return response.status;
    });
    // A server that closed meanwhile answers nothing: 0, never an unhandled rejection.
    const status = sent.catch(() => 0);
    this.#sent.push(status);
    return status;
  }

  /** Waits for every callback posted so far; answers their statuses, oldest first. */
  settled(): Promise<number[]> {
    return Promise.all(this.#sent);
  }

  /** Forgets the callbacks already settled (between tests). */
  clear(): void {
    this.#sent.length = 0;
    this.posted.length = 0;
  }
}
