/**
 * `GET` (verification handshake) and `POST` (signed events) `/hooks/meta/:channelId`.
 *
 * @module
 */
import { Elysia } from "elysia";
import { MAX_SEND_BODY_BYTES, readBodyLimited } from "../http/read_body.ts";
import { toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { requestTarget } from "../http/request_url.ts";
import { JSON_CALLBACK_RESPONSES, META_VERIFY_RESPONSES } from "../schemas/callbacks.ts";
import { handleMetaEvent, handleMetaVerify } from "../services/hook_meta.ts";
import type { HookDeps } from "../services/provider_hooks.ts";

export function metaHookRoutes(deps: HookDeps, requestIds: RequestIds) {
  return new Elysia({ name: "hooks-meta" })
    .get(
      "/hooks/meta/:channelId",
      async ({ request, params }) => {
        const requestId = requestIds.of(request);
        const reply = await handleMetaVerify(deps, {
          requestId,
          channelId: params.channelId,
          query: requestTarget(request).searchParams,
        });
        return toResponse(reply, requestId);
      },
      {
        detail: {
          tags: ["Provider callbacks"],
          summary: "Meta webhook verification (hub.mode, hub.verify_token, hub.challenge)",
          security: [],
          responses: META_VERIFY_RESPONSES,
        } as never,
      },
    )
    .post(
      "/hooks/meta/:channelId",
      async ({ request, params }) => {
        const requestId = requestIds.of(request);
        const reply = await handleMetaEvent(deps, {
          requestId,
          channelId: params.channelId,
          signature: request.headers.get("x-hub-signature-256"),
          readBody: () => readBodyLimited(request, MAX_SEND_BODY_BYTES),
        });
        return toResponse(reply, requestId);
      },
      {
        parse: "none",
        detail: {
          tags: ["Provider callbacks"],
          summary: "Meta WhatsApp statuses and inbound messages (X-Hub-Signature-256)",
          security: [],
          responses: JSON_CALLBACK_RESPONSES,
        } as never,
      },
    );
}
