/**
 * The HTTP layer: every route in one Elysia app, with the error shape of docs/api.md#errors on every
 * failure (validation, parse, unknown route, unexpected fault).
 *
 * @module
 */
import { Elysia } from "elysia";
import type { OpenApiDocument } from "./docs/docs_page.ts";
import { buildOpenApiDocument } from "./docs/openapi_spec.ts";
import { BodyTooLargeError } from "./http/read_body.ts";
import { errorReply, toResponse } from "./http/reply.ts";
import type { RequestIds } from "./http/request_ids.ts";
import { requestTarget } from "./http/request_url.ts";
import type { Logger } from "./logger.ts";
import { adminRoutes } from "./routes/admin.ts";
import type { AdminGate } from "./routes/admin_gate.ts";
import { adminIntegrationRoutes } from "./routes/admin_integrations.ts";
import { adminSuppressionRoutes } from "./routes/admin_suppressions.ts";
import { adminWebhookRoutes } from "./routes/admin_webhooks.ts";
import { docsRoutes } from "./routes/docs.ts";
import { healthRoutes } from "./routes/health.ts";
import { sendRoutes } from "./routes/send.ts";
import { uiRoutes } from "./routes/ui.ts";
import type { AdminAuth } from "./services/admin_auth.ts";
import type { AdminDeps } from "./services/admin_deps.ts";
import type { SendDeps } from "./services/send_service.ts";
import type { UiKeys } from "./ui/ui_keys.ts";

/** Everything the HTTP layer needs, already built. */
export interface AppDeps {
  sendDeps: SendDeps;
  adminDeps: AdminDeps;
  gate: AdminGate;
  requestIds: RequestIds;
  logger: Logger;
  /** `/ready` checks by backend name. */
  checks: Record<string, () => Promise<boolean>>;
  /** Settings → Integrations (README.md#settings--integrations-page): the admin key check and the session keys. */
  ui: { auth: AdminAuth; keys: UiKeys };
}

/**
 * Wires the routes into one Elysia app with the error shape of docs/api.md#errors on every failure.
 */
export function createApp(deps: AppDeps) {
  const { requestIds, logger, gate } = deps;
  // normalize: false makes Elysia reject unknown fields instead of silently dropping them.
  const app = new Elysia({ normalize: false })
    .onRequest(({ request, set }) => {
      // Every answer carries its request id (the error shape repeats it in the body).
      set.headers["x-request-id"] = requestIds.of(request);
      if (request.url.includes("/api/admin")) {
        return gate.check(request, requestTarget(request).pathname);
      }
    })
    .onError(({ code, error, request }) => {
      const requestId = requestIds.of(request);
      switch (code) {
        case "VALIDATION":
          return toResponse(
            errorReply("VALIDATION_ERROR", { requestId, details: validationDetails(error) }),
            requestId,
          );
        case "PARSE":
          if ((error as { cause?: unknown }).cause instanceof BodyTooLargeError) {
            const { message } = (error as { cause: BodyTooLargeError }).cause;
            return toResponse(errorReply("PAYLOAD_TOO_LARGE", { requestId, message }), requestId);
          }
          return toResponse(
            errorReply("VALIDATION_ERROR", {
              requestId,
              details: [{ path: "", message: "Body must be valid JSON" }],
            }),
            requestId,
          );
        case "NOT_FOUND":
          return toResponse(
            errorReply("NOT_FOUND", { requestId, message: "No such route" }),
            requestId,
          );
        default:
          logger.error("unexpected fault", {
            requestId,
            code: String(code),
            error: describe(error),
          });
          return toResponse(errorReply("INTERNAL", { requestId }), requestId);
      }
    })
    .use(healthRoutes(deps.checks))
    .use(sendRoutes(deps.sendDeps, requestIds))
    .use(adminRoutes(deps.adminDeps, gate, requestIds))
    .use(adminIntegrationRoutes(deps.adminDeps, gate, requestIds))
    .use(adminWebhookRoutes(deps.adminDeps, gate, requestIds))
    .use(adminSuppressionRoutes(deps.adminDeps, gate, requestIds))
    .use(uiRoutes({ admin: deps.adminDeps, requestIds, ...deps.ui }));
  // Built on the first visit: by then every route is registered.
  const spec = () =>
    buildOpenApiDocument(app, deps.adminDeps.publicUrl) as unknown as OpenApiDocument;
  return app.use(docsRoutes(spec, requestIds));
}

function validationDetails(error: unknown): { path: string; message: string }[] {
  const all = (error as { all?: Array<{ path?: string; message?: string; summary?: string }> }).all;
  if (!Array.isArray(all) || all.length === 0) return [{ path: "", message: "Invalid request" }];
  const seen = new Set<string>();
  const details: { path: string; message: string }[] = [];
  for (const entry of all) {
    const detail = {
      path: entry.path ?? "",
      message: entry.summary ?? entry.message ?? "is invalid",
    };
    const key = `${detail.path}\u0000${detail.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      details.push(detail);
    }
  }
  return details;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
