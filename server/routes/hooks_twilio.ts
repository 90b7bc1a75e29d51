/**
 * `POST /hooks/twilio/:channelId`: Twilio status callbacks and inbound messages.
 *
 * @module
 */
import { Elysia } from "elysia";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { requestTarget } from "../http/request_url.ts";
import { TWIML_CALLBACK_RESPONSES } from "../schemas/callbacks.ts";
import { handleTwilioHook } from "../services/hook_twilio.ts";
import type { HookDeps } from "../services/provider_hooks.ts";

export function twilioHookRoutes(deps: HookDeps, requestIds: RequestIds) {
  return new Elysia({ name: "hooks-twilio" }).post(
    "/hooks/twilio/:channelId",
    async ({ request, params }) => {
      const requestId = requestIds.of(request);
      const reply = await handleTwilioHook(deps, {
        requestId,
        channelId: params.channelId,
        search: requestTarget(request).search,
        signature: request.headers.get("x-twilio-signature"),
        readBody: () => readBodyLimited(request, MAX_SEND_BODY_BYTES),
      });
      return toResponse(reply, requestId);
    },
    {
      parse: "none",
      detail: {
        tags: ["Provider callbacks"],
        summary: "Twilio status callbacks and inbound SMS/WhatsApp (X-Twilio-Signature)",
        security: [],
        responses: TWIML_CALLBACK_RESPONSES,
      } as never,
    },
  );
}
