/**
 * A real webhook receiver on 127.0.0.1 that records every delivery and verifies it with the
 * reference `standardwebhooks` library, as a customer's endpoint would.
 */
import { Webhook } from "standardwebhooks";

export interface Received {
  id: string;
  type: string;
  body: any;
  raw: string;
  path: string;
  headers: Record<string, string>;
  at: number;
  /** Whether the signature verified with every secret the receiver holds (`null`: none held). */
  verified: boolean | null;
  bearerOk: boolean | null;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** Secrets the receiver verifies with; replace to simulate a receiver holding an old secret. */
  secrets: string[];
  bearer: string | null;
  respond: (request: Request, n: number) => Response | Promise<Response>;
  close(): void;
}

export function startReceiver(options: { port?: number; bearer?: string } = {}): Receiver {
  const receiver: Receiver = {
    url: "",
    port: 0,
    received: [],
    secrets: [],
    bearer: options.bearer ?? null,
    respond: () => new Response("ok"),
    close: () => server.stop(true),
  };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: options.port ?? 0,
    async fetch(request) {
      const body = await request.text();
      const headers = Object.fromEntries(request.headers.entries());
      let verified: boolean | null = null;
      if (receiver.secrets.length > 0) {
        verified = receiver.secrets.some((secret) => {
          try {
            new Webhook(secret).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
      }
      const parsed = safeJson(body);
      receiver.received.push({
        id: headers["webhook-id"] ?? "",
        type: parsed?.type ?? "",
        body: parsed,
        raw: body,
        path: new URL(request.url).pathname,
        headers,
        at: Date.now(),
        verified,
        bearerOk:
          receiver.bearer === null ? null : headers.authorization === `Bearer ${receiver.bearer}`,
      });
      return receiver.respond(request, receiver.received.length);
    },
  });
  receiver.port = server.port ?? 0;
  receiver.url = `http://127.0.0.1:${receiver.port}/hooks`;
  return receiver;
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
