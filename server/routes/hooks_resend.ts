/**
 * `POST /hooks/resend/:channelId`: Resend e-mail events (Svix's `svix-*` headers, or the
 * Standard Webhooks `webhook-*` ones).
 *
 * @module
 */
import { Elysia } from "elysia";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { JSON_CALLBACK_RESPONSES } from "../schemas/callbacks.ts";
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
        // As the svix library reads them: Svix's own names first, the unbranded ones after.
        headers: {
          id: request.headers.get("svix-id") ?? request.headers.get("webhook-id"),
          timestamp:
            request.headers.get("svix-timestamp") ?? request.headers.get("webhook-timestamp"),
          signature:
            request.headers.get("svix-signature") ?? request.headers.get("webhook-signature"),
        },
        readBody: () => readBodyLimited(request, MAX_SEND_BODY_BYTES),
      });
      return toResponse(reply, requestId);
    },
    {
      parse: "none",
      detail: {
        tags: ["Provider callbacks"],
        summary:
          "Resend e-mail events (svix-* or webhook-* signature headers, the channel's webhookSecret)",
        security: [],
        responses: JSON_CALLBACK_RESPONSES,
      } as never,
    },
  );
}
