/**
 * The admin API routes for integrations (webhooks and custom tokens) and messages
 * (docs/api.md#admin-api).
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { parseAdminBody } from "../http/read_body.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { IdParams } from "../schemas/_common.ts";
import {
  IntegrationCreated,
  IntegrationPage,
  IntegrationRotated,
  MessagePage,
} from "../schemas/admin_answers.ts";
import {
  IntegrationCreate,
  IntegrationPatch,
  IntegrationQuery,
  MessageQuery,
} from "../schemas/admin_requests.ts";
import { IntegrationView, MessageView } from "../schemas/admin_views.ts";
import { adminResponses as answers } from "../schemas/responses.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import * as integrations from "../services/admin_integrations.ts";
import * as messages from "../services/admin_messages.ts";
import * as rotation from "../services/admin_rotation.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminRunner, adminDoc as doc } from "./admin_run.ts";

const NO_CONTENT = { 204: Type.Null({ description: "Deleted" }) };

export function adminIntegrationRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
  return new Elysia({ name: "admin-integrations", prefix: "/api/admin", normalize: false })
    .onParse(({ request, contentType }) => parseAdminBody(request, contentType))
    .post(
      "/integrations",
      ({ request, body }) =>
        run(request, (c) =>
          integrations.createIntegration(deps, c.company, body as never, c.requestId),
        ),
      {
        body: IntegrationCreate,
        response: answers({ 201: IntegrationCreated }, "VALIDATION_ERROR"),
        ...doc("Integrations", "Create a webhook or a custom token"),
      },
    )
    .get(
      "/integrations",
      ({ request, query }) =>
        run(request, (c) => integrations.listIntegrations(deps, c.company, query)),
      {
        query: IntegrationQuery,
        response: answers({ 200: IntegrationPage }, "VALIDATION_ERROR"),
        ...doc("Integrations", "List integrations"),
      },
    )
    .get(
      "/integrations/:id",
      ({ request, params }) =>
        run(request, (c) => integrations.getIntegration(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: IntegrationView }, "NOT_FOUND"),
        ...doc("Integrations", "Get an integration"),
      },
    )
    .patch(
      "/integrations/:id",
      ({ request, params, body }) =>
        run(request, (c) =>
          integrations.patchIntegration(deps, c.company, params.id, body, c.requestId),
        ),
      {
        params: IdParams,
        body: IntegrationPatch,
        response: answers({ 200: IntegrationView }, "VALIDATION_ERROR", "NOT_FOUND"),
        ...doc("Integrations", "Change, enable or disable an integration"),
      },
    )
    .delete(
      "/integrations/:id",
      ({ request, params }) =>
        run(request, (c) =>
          integrations.deleteIntegration(deps, c.company, params.id, c.requestId),
        ),
      {
        params: IdParams,
        response: answers(NO_CONTENT, "NOT_FOUND"),
        ...doc("Integrations", "Delete an integration"),
      },
    )
    .post(
      "/integrations/:id/rotate",
      ({ request, params }) =>
        run(request, (c) => rotation.rotateIntegration(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 200: IntegrationRotated }, "NOT_FOUND"),
        ...doc(
          "Integrations",
          "Rotate a token (old one refused at once) or a signing secret (24 h overlap)",
        ),
      },
    )
    .post(
      "/integrations/:id/revoke",
      ({ request, params }) =>
        run(request, (c) => rotation.revokeIntegration(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 200: IntegrationView }, "VALIDATION_ERROR", "NOT_FOUND"),
        ...doc("Integrations", "Revoke a custom integration's token"),
      },
    )
    .get(
      "/messages",
      ({ request, query }) => run(request, (c) => messages.listMessages(deps, c.company, query)),
      {
        query: MessageQuery,
        response: answers({ 200: MessagePage }, "VALIDATION_ERROR"),
        ...doc("Messages", "List messages"),
      },
    )
    .get(
      "/messages/:id",
      ({ request, params }) =>
        run(request, (c) => messages.getMessage(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: MessageView }, "NOT_FOUND"),
        ...doc("Messages", "Get a message with its status history"),
      },
    )
    .post(
      "/messages/:id/cancel",
      ({ request, params }) =>
        run(request, (c) => messages.cancelMessage(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 200: MessageView }, "NOT_FOUND", "CONFLICT"),
        ...doc("Messages", "Cancel a queued or scheduled send (409 once it has left)"),
      },
    );
}
