/**
 * `POST /hooks/resend/:channelId`: Resend e-mail events (Standard Webhooks signature).
 *
 * @module
 */
import { Elysia } from "elysia";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { handleResendHook } from "../services/hook_resend.ts";
import type { HookDeps } from "../services/provider_hooks.ts";

export function resendHookRoutes(deps: HookDeps, requestIds: RequestIds) {
  return new Elysia({ name: "hooks-resend" }).post(
    "/hooks/resend/:channelId",
    async ({ request, params }) => {
      const requestId = requestIds.of(request);
      const reply = await handleResendHook(deps, {
        requestId,
        channelId: params.channelId,
        headers: {
          id: request.headers.get("webhook-id"),
          timestamp: request.headers.get("webhook-timestamp"),
          signature: request.headers.get("webhook-signature"),
        },
        readBody: () => readBodyLimited(request, MAX_SEND_BODY_BYTES),
      });
      return toResponse(reply, requestId);
    },
    {
      parse: "none",
      detail: {
        tags: ["Provider callbacks"],
        summary: "Resend e-mail events (Standard Webhooks signature with the channel's secret)",
      },
    },
  );
}
