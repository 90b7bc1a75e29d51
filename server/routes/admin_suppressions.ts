/**
 * Admin routes of suppression lists (docs/api.md#suppressions).
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import type { RequestIds } from "../http/request_ids.ts";
import { IdParams } from "../schemas/_common.ts";
import { SuppressionPage } from "../schemas/admin_answers.ts";
import { SuppressionCreate, SuppressionQuery } from "../schemas/admin_requests.ts";
import { SuppressionView } from "../schemas/admin_views.ts";
import { adminResponses as answers } from "../schemas/responses.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import * as suppressions from "../services/admin_suppressions.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminRunner, adminDoc as doc } from "./admin_run.ts";

const NO_CONTENT = { 204: Type.Null({ description: "Removed" }) };

export function adminSuppressionRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
  return new Elysia({ name: "admin-suppressions", prefix: "/api/admin", normalize: false })
    .get(
      "/suppressions",
      ({ request, query }) =>
        run(request, (c) => suppressions.listSuppressions(deps, c.company, query)),
      {
        query: SuppressionQuery,
        response: answers({ 200: SuppressionPage }, "VALIDATION_ERROR"),
        ...doc("Suppressions", "List suppressed addresses, newest first"),
      },
    )
    .post(
      "/suppressions",
      ({ request, body }) =>
        run(request, (c) => suppressions.addSuppression(deps, c.company, body, c.requestId)),
      {
        body: SuppressionCreate,
        response: answers({ 200: SuppressionView, 201: SuppressionView }, "VALIDATION_ERROR"),
        ...doc("Suppressions", "Suppress an address (201; 200 when it already was)"),
      },
    )
    .get(
      "/suppressions/:id",
      ({ request, params }) =>
        run(request, (c) => suppressions.getSuppression(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: SuppressionView }, "NOT_FOUND"),
        ...doc("Suppressions", "Get a suppression"),
      },
    )
    .delete(
      "/suppressions/:id",
      ({ request, params }) =>
        run(request, (c) =>
          suppressions.removeSuppression(deps, c.company, params.id, c.requestId),
        ),
      {
        params: IdParams,
        response: answers(NO_CONTENT, "NOT_FOUND"),
        ...doc("Suppressions", "Remove a suppression (404 when it is gone)"),
      },
    );
}
