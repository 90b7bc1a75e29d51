/**
 * Process: baseline (a), a bare `Bun.serve` answering the send's 200 JSON (bench/README.md#send).
 *
 * @module
 */
import { announceAndServe } from "../../shared/control.ts";

let next = 0;
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  routes: {
    "/api/integration/generic": {
      POST: async (request) => {
        const body = (await request.json()) as { to?: unknown };
        next++;
        return Response.json({
          id: `msg_${next}`,
          status: "sent",
          channel: { id: "chn_bench", type: "sms" },
          provider: "sandbox",
          providerMessageId: `sbx_${next}`,
          segments: typeof body.to === "string" ? 1 : 0,
        });
      },
    },
  },
});

await announceAndServe(
  { url: `http://127.0.0.1:${server.port}` },
  { close: () => server.stop(true) },
);
