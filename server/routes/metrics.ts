/**
 * `GET /metrics` in Prometheus text format, only when `SENDEASY_METRICS_TOKEN` is set (the
 * route does not exist otherwise: 404), and only with that token as a bearer (401 otherwise).
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Elysia } from "elysia";
import { errorReply, toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import type { Metrics } from "../metrics/metrics.ts";

const digest = (text: string): Buffer => createHash("sha256").update(text).digest();

/**
 * @param metrics The server's metrics.
 * @param token The bearer a scraper must send.
 * @param requestIds For the error shape's request id.
 */
export function metricsRoutes(metrics: Metrics, token: string, requestIds: RequestIds) {
  const expected = digest(token);
  return new Elysia({ name: "metrics" }).get(
    "/metrics",
    async ({ request }) => {
      const given = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1];
      // Digests: equal lengths for timingSafeEqual, whatever was sent.
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        const requestId = requestIds.of(request);
        return toResponse(errorReply("ERR_NO_PERMISSION", { requestId }), requestId);
      }
      return new Response(await metrics.render(), {
        headers: { "content-type": metrics.contentType, "cache-control": "no-store" },
      });
    },
    { detail: { tags: ["Health"], summary: "Prometheus metrics (SENDEASY_METRICS_TOKEN bearer)" } },
  );
}
