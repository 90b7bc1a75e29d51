/**
 * `POST /api/integration/generic` and the legacy endpoints that now answer 410 (SPEC.md §3).
 *
 * @module
 */
import { Elysia } from "elysia";
import { ErrorBody } from "../../core/errors.ts";
import { EmailPayload } from "../../core/payloads/email.ts";
import { SmsPayload } from "../../core/payloads/sms.ts";
import { WhatsAppPayload } from "../../core/payloads/whatsapp.ts";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { errorReply, toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { handleSend, type SendDeps } from "../services/send_service.ts";

const LEGACY_PATHS = [
  "/api/integration/whatsapp",
  "/api/integration/email",
  "/api/integration/sms",
  "/api/integration/send",
  "/api/integration/generic/:channelType",
];

const errorResponse = { content: { "application/json": { schema: ErrorBody } } };

/** The send endpoint. The body is read by hand so the contract's check order holds. */
export function sendRoutes(deps: SendDeps, requestIds: RequestIds) {
  const app = new Elysia({ name: "send" }).post(
    "/api/integration/generic",
    async ({ request }) => {
      const requestId = requestIds.of(request);
      const reply = await handleSend(deps, {
        requestId,
        authorization: request.headers.get("authorization"),
        contentType: request.headers.get("content-type"),
        idempotencyKey: request.headers.get("idempotency-key"),
        prefer: request.headers.get("prefer"),
        readBody: () => readBodyLimited(request, MAX_SEND_BODY_BYTES),
      });
      return toResponse(reply, requestId);
    },
    {
      parse: "none",
      detail: {
        summary: "Send a WhatsApp message, an email or an SMS",
        description:
          "The channel, and so the payload shape, comes from the bearer token. Optional `Idempotency-Key` header (≤ 255 characters, kept 24 h). `Prefer: respond-async`, or a payload field `sendAt` (ISO-8601, at most 30 days ahead), queues the send and answers 202; the outcome comes as events.",
        tags: ["Send"],
        security: [{ bearerAuth: [] }],
        requestBody: {
          required: true,
          content: {
            "application/json": { schema: { oneOf: [WhatsAppPayload, EmailPayload, SmsPayload] } },
          },
        },
        responses: {
          200: { description: "The provider accepted the message" },
          202: {
            description:
              "Queued (Prefer: respond-async, or sendAt): { id, status: queued, channel, sendAt? }",
          },
          400: { description: "VALIDATION_ERROR", ...errorResponse },
          401: { description: "ERR_NO_PERMISSION", ...errorResponse },
          402: { description: "PROVIDER_ERROR: no credits", ...errorResponse },
          404: { description: "CHANNEL_NOT_FOUND", ...errorResponse },
          409: { description: "IDEMPOTENCY_IN_PROGRESS", ...errorResponse },
          413: { description: "PAYLOAD_TOO_LARGE", ...errorResponse },
          415: { description: "UNSUPPORTED_MEDIA_TYPE", ...errorResponse },
          422: {
            description:
              "IDEMPOTENCY_KEY_REUSED, RECIPIENT_SUPPRESSED (a detail per suppressed recipient), WHATSAPP_WINDOW_CLOSED (with lastInboundAt) or ATTACHMENT_UNAVAILABLE (a detail per e-mail attachment URL that cannot be fetched)",
            ...errorResponse,
          },
          429: {
            description:
              "RATE_LIMITED (the token's limit) or PROVIDER_RATE_LIMITED (the channel's provider had no turn for the send within SENDEASY_SEND_QUEUE_MS); Retry-After",
            ...errorResponse,
          },
          502: { description: "PROVIDER_ERROR", ...errorResponse },
        },
      } as never,
    },
  );
  for (const path of LEGACY_PATHS) {
    app.all(
      path,
      ({ request }) => {
        const requestId = requestIds.of(request);
        const message = `This endpoint was removed: use POST /api/integration/generic (the token decides the channel)`;
        return toResponse(errorReply("GONE", { requestId, message }), requestId);
      },
      {
        parse: "none",
        detail: { tags: ["Send"], summary: "Removed legacy endpoint (410)", deprecated: true },
      },
    );
  }
  return app;
}
