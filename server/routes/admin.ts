/**
 * The admin API routes (SPEC.md §6). Handlers only translate HTTP to the admin use cases.
 *
 * @module
 */
import { Elysia } from "elysia";
import { parseAdminBody } from "../http/read_body.ts";
import type { RequestIds } from "../http/request_ids.ts";
import * as channels from "../services/admin_channels.ts";
import * as companies from "../services/admin_companies.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import * as integrations from "../services/admin_integrations.ts";
import * as keys from "../services/admin_keys.ts";
import * as messages from "../services/admin_messages.ts";
import * as rotation from "../services/admin_rotation.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminDoc, adminRunner } from "./admin_run.ts";
import {
  ChannelCreate,
  ChannelPatch,
  CompanyCreate,
  IntegrationCreate,
  IntegrationPatch,
  ListQuery,
  SimulateInbound,
} from "./admin_schemas.ts";

export function adminRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
  const doc = adminDoc;

  return new Elysia({ name: "admin", prefix: "/api/admin", normalize: false })
    .onParse(({ request, contentType }) => parseAdminBody(request, contentType))
    .post(
      "/companies",
      ({ request, body }) =>
        run(request, (c) =>
          c.operator ? companies.createCompany(deps, body) : companies.operatorOnly(c.requestId),
        ),
      {
        body: CompanyCreate,
        ...doc("Companies", "Create a company and its admin key (operator only)"),
      },
    )
    .get(
      "/companies",
      ({ request, query }) =>
        run(request, (c) =>
          c.operator ? companies.listCompanies(deps, query) : companies.operatorOnly(c.requestId),
        ),
      { query: ListQuery, ...doc("Companies", "List companies (operator only)") },
    )
    .post(
      "/companies/:id/keys/rotate",
      ({ request, params }) => run(request, (c) => keys.rotateCompanyKey(deps, c, params.id)),
      {
        parse: "none",
        ...doc(
          "Companies",
          "Rotate a company's admin key (operator only); the old one is refused at once",
        ),
      },
    )
    .post("/keys/rotate", ({ request }) => run(request, (c) => keys.rotateOwnKey(deps, c)), {
      parse: "none",
      ...doc("Companies", "Rotate the admin key of this request; the old one is refused at once"),
    })
    .post(
      "/channels",
      ({ request, body }) =>
        run(request, (c) => channels.createChannel(deps, c.company, body, c.requestId, c)),
      { body: ChannelCreate, ...doc("Channels", "Create a channel") },
    )
    .get(
      "/channels",
      ({ request, query }) => run(request, (c) => channels.listChannels(deps, c.company, query)),
      {
        query: ListQuery,
        ...doc("Channels", "List channels"),
      },
    )
    .get(
      "/channels/:id",
      ({ request, params }) =>
        run(request, (c) => channels.getChannel(deps, c.company, params.id, c.requestId)),
      doc("Channels", "Get a channel"),
    )
    .patch(
      "/channels/:id",
      ({ request, params, body }) =>
        run(request, (c) =>
          channels.patchChannel(deps, c.company, params.id, body, c.requestId, c),
        ),
      { body: ChannelPatch, ...doc("Channels", "Change a channel") },
    )
    .delete(
      "/channels/:id",
      ({ request, params }) =>
        run(request, (c) => channels.deleteChannel(deps, c.company, params.id, c.requestId)),
      doc("Channels", "Delete a channel"),
    )
    .post(
      "/channels/:id/simulate-inbound",
      ({ request, params, body }) =>
        run(request, (c) =>
          channels.simulateInbound(deps, c.company, params.id, body, c.requestId),
        ),
      {
        body: SimulateInbound,
        ...doc("Channels", "Pretend a message arrived on a sandbox channel"),
      },
    )
    .post(
      "/integrations",
      ({ request, body }) =>
        run(request, (c) =>
          integrations.createIntegration(deps, c.company, body as never, c.requestId),
        ),
      { body: IntegrationCreate, ...doc("Integrations", "Create a webhook or a custom token") },
    )
    .get(
      "/integrations",
      ({ request, query }) =>
        run(request, (c) => integrations.listIntegrations(deps, c.company, query)),
      {
        query: ListQuery,
        ...doc("Integrations", "List integrations"),
      },
    )
    .get(
      "/integrations/:id",
      ({ request, params }) =>
        run(request, (c) => integrations.getIntegration(deps, c.company, params.id, c.requestId)),
      doc("Integrations", "Get an integration"),
    )
    .patch(
      "/integrations/:id",
      ({ request, params, body }) =>
        run(request, (c) =>
          integrations.patchIntegration(deps, c.company, params.id, body, c.requestId),
        ),
      {
        body: IntegrationPatch,
        ...doc("Integrations", "Change, enable or disable an integration"),
      },
    )
    .delete(
      "/integrations/:id",
      ({ request, params }) =>
        run(request, (c) =>
          integrations.deleteIntegration(deps, c.company, params.id, c.requestId),
        ),
      doc("Integrations", "Delete an integration"),
    )
    .post(
      "/integrations/:id/rotate",
      ({ request, params }) =>
        run(request, (c) => rotation.rotateIntegration(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
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
        ...doc("Integrations", "Revoke a custom integration's token"),
      },
    )
    .get(
      "/messages",
      ({ request, query }) => run(request, (c) => messages.listMessages(deps, c.company, query)),
      {
        query: ListQuery,
        ...doc("Messages", "List messages"),
      },
    )
    .get(
      "/messages/:id",
      ({ request, params }) =>
        run(request, (c) => messages.getMessage(deps, c.company, params.id, c.requestId)),
      doc("Messages", "Get a message with its status history"),
    )
    .post(
      "/messages/:id/cancel",
      ({ request, params }) =>
        run(request, (c) => messages.cancelMessage(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        ...doc("Messages", "Cancel a queued or scheduled send (409 once it has left)"),
      },
    );
}
