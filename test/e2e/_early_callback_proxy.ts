/**
 * A provider that calls back before it answers: sits in front of a provider fake, and when the
 * fake accepts a send (2xx), runs `onAccepted` with the fake's answer — typically posting the
 * signed status callback and waiting for Sendeasy to acknowledge it — before the answer goes
 * back to the SDK. A real provider does this when its callback is faster than its answer.
 *
 * @module
 */

/** A running proxy. */
export interface EarlyCallbackProxy {
  /** `http://127.0.0.1:<port>`: the `baseUrl` to give the channel. */
  url: string;
  stop(): Promise<void>;
}

/**
 * @param target the fake's URL
 * @param onAccepted called with the fake's JSON answer to an accepted send; the answer is
 *   relayed once it resolves
 */
export function earlyCallbackProxy(
  target: string,
  onAccepted: (answer: any) => Promise<void>,
): EarlyCallbackProxy {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const forwarded = await fetch(target + url.pathname + url.search, {
        method: request.method,
        headers: request.headers,
        body: await request.arrayBuffer(),
      });
      const text = await forwarded.text();
      if (forwarded.ok) await onAccepted(JSON.parse(text));
      return new Response(text, { status: forwarded.status, headers: forwarded.headers });
    },
  });
  return {
    url: `http://127.0.0.1:${server.port}`,
    stop: () => server.stop(true),
  };
}
