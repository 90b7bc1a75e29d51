/**
 * `POST /api/integration/generic` and the legacy endpoints that now answer 410
 * (docs/api.md#sending).
 *
 * @module
 */
import { Elysia } from "elysia";
import { SEND_CHECK_ORDER } from "../../core/errors.ts";
import { headerParameters } from "../docs/openapi_document.ts";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { errorReply, toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { errorResponses } from "../schemas/responses.ts";
import { SendAccepted, SendHeaders, SendQueued, SendRequest } from "../schemas/send.ts";
import { handleSend, type SendDeps } from "../services/send_service.ts";

const LEGACY_PATHS = [
  "/api/integration/whatsapp",
  "/api/integration/email",
  "/api/integration/sms",
  "/api/integration/send",
  "/api/integration/generic/:channelType",
];

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
      // Documentation only: Elysia validates none of it, so the checks keep their order.
      response: {
        200: SendAccepted,
        202: SendQueued,
        ...errorResponses(...SEND_CHECK_ORDER, "INTERNAL"),
      },
      detail: {
        summary: "Send a WhatsApp message, an email or an SMS",
        description:
          "The channel, and so the payload shape, comes from the bearer token. Checks run in the order of docs/api.md#check-order; a request with several faults gets the first. `Prefer: respond-async`, or a payload field `sendAt` (ISO-8601, at most 30 days ahead), queues the send and answers 202; the outcome comes as events.",
        tags: ["Send"],
        security: [{ integrationToken: [] }],
        parameters: headerParameters(SendHeaders),
        requestBody: {
          required: true,
          content: { "application/json": { schema: SendRequest } },
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
        response: errorResponses("GONE"),
        detail: {
          tags: ["Send"],
          summary: "Removed legacy endpoint (410)",
          deprecated: true,
          security: [],
        },
      },
    );
  }
  return app;
}
