/**
 * Process: the fan-out's 50 webhook receivers and their control server (bench/README.md#fan-out).
 *
 * @module
 */
import { announceAndServe } from "../shared/control.ts";

/** Listeners started: enough for the widest scenario (1 event × 50 webhooks). */
export const RECEIVERS = 50;

/** What `GET /report` answers: one entry per recorded request, in arrival order. */
export interface ReceiverReport {
  /** The receiver port that got it. */
  port: number[];
  /** `webhook-id` (the event id). */
  id: string[];
  /** Arrival, ms since the epoch. */
  at: number[];
  /** The envelope's `createdAt` in ms since the epoch (NaN when the body has none). */
  createdAt: number[];
}

/** One recorded request, for the plain loop to replay. */
export interface CapturedRequest {
  port: number;
  headers: Record<string, string>;
  body: string;
}

/** The headers Sendeasy sends that a receiver looks at; the loop replays these. */
const REPLAYED_HEADERS = [
  "content-type",
  "user-agent",
  "webhook-id",
  "webhook-timestamp",
  "webhook-signature",
  "authorization",
] as const;

let report: ReceiverReport = { port: [], id: [], at: [], createdAt: [] };
let captured: CapturedRequest[] = [];

const CREATED_AT = '"createdAt":"';

function createdAtOf(body: string): number {
  const start = body.indexOf(CREATED_AT);
  if (start < 0) return Number.NaN;
  const from = start + CREATED_AT.length;
  return Date.parse(body.slice(from, body.indexOf('"', from)));
}

function listen(): number {
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      const body = await request.text();
      const at = Date.now();
      report.port.push(port);
      report.id.push(request.headers.get("webhook-id") ?? "");
      report.at.push(at);
      report.createdAt.push(createdAtOf(body));
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = request.headers.get(name);
        if (value !== null) headers[name] = value;
      }
      captured.push({ port, headers, body });
      return new Response(null, { status: 200 });
    },
  });
  const port = server.port ?? 0;
  return port;
}

const ports = Array.from({ length: RECEIVERS }, listen);

const control = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  routes: {
    "/ports": () => Response.json({ ports }),
    "/count": () => Response.json({ count: report.id.length }),
    "/report": () => Response.json(report),
    "/captured": () => Response.json(captured),
    "/reset": {
      POST: () => {
        report = { port: [], id: [], at: [], createdAt: [] };
        captured = [];
        return Response.json({ ok: true });
      },
    },
  },
});

await announceAndServe({ url: `http://127.0.0.1:${control.port}` });
