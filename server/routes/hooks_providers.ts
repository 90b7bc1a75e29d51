/**
 * Every provider callback route, `/hooks/<provider>/<channelId>` (docs/providers.md). Each verifies
 * the provider's signature before anything is read into state.
 *
 * @module
 */
import { Elysia } from "elysia";
import type { RequestIds } from "../http/request_ids.ts";
import type { HookDeps } from "../services/provider_hooks.ts";
import { metaHookRoutes } from "./hooks_meta.ts";
import { resendHookRoutes } from "./hooks_resend.ts";
import { twilioHookRoutes } from "./hooks_twilio.ts";

export function providerHookRoutes(deps: HookDeps, requestIds: RequestIds) {
  return new Elysia({ name: "hooks" })
    .use(twilioHookRoutes(deps, requestIds))
    .use(resendHookRoutes(deps, requestIds))
    .use(metaHookRoutes(deps, requestIds));
}
