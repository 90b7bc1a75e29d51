/**
 * Admin routes of suppression lists (README "Suppressions").
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { SUPPRESSION_REASONS } from "../../core/public_suppression.ts";
import type { RequestIds } from "../http/request_ids.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import * as suppressions from "../services/admin_suppressions.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminRunner, adminDoc as doc } from "./admin_run.ts";
import { ListQuery } from "./admin_schemas.ts";

const ChannelTypeSchema = Type.Union([
  Type.Literal("whatsapp"),
  Type.Literal("email"),
  Type.Literal("sms"),
]);

const SuppressionCreate = Type.Object(
  {
    channelType: ChannelTypeSchema,
    address: Type.String({
      minLength: 1,
      maxLength: 320,
      description: "WhatsApp digits (+ optional), SMS E.164 with +, or an e-mail address",
    }),
    reason: Type.Optional(
      Type.Union(
        SUPPRESSION_REASONS.map((reason) => Type.Literal(reason)),
        { description: "Defaults to manual" },
      ),
    ),
  },
  { additionalProperties: false },
);

const SuppressionQuery = Type.Composite([
  ListQuery,
  Type.Object({
    channelType: Type.Optional(ChannelTypeSchema),
    address: Type.Optional(Type.String({ description: "Any spelling of one address" })),
  }),
]);

export function adminSuppressionRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
  return new Elysia({ name: "admin-suppressions", prefix: "/api/admin", normalize: false })
    .get(
      "/suppressions",
      ({ request, query }) =>
        run(request, (c) => suppressions.listSuppressions(deps, c.company, query)),
      {
        query: SuppressionQuery,
        ...doc("Suppressions", "List suppressed addresses, newest first"),
      },
    )
    .post(
      "/suppressions",
      ({ request, body }) =>
        run(request, (c) => suppressions.addSuppression(deps, c.company, body, c.requestId)),
      {
        body: SuppressionCreate,
        ...doc("Suppressions", "Suppress an address (201; 200 when it already was)"),
      },
    )
    .get(
      "/suppressions/:id",
      ({ request, params }) =>
        run(request, (c) => suppressions.getSuppression(deps, c.company, params.id, c.requestId)),
      doc("Suppressions", "Get a suppression"),
    )
    .delete(
      "/suppressions/:id",
      ({ request, params }) =>
        run(request, (c) =>
          suppressions.removeSuppression(deps, c.company, params.id, c.requestId),
        ),
      doc("Suppressions", "Remove a suppression (404 when it is gone)"),
    );
}
