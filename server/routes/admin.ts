/**
 * The admin API routes for companies, admin keys and channels (docs/api.md#admin-api).
 * Handlers only translate HTTP to the admin use cases; each route declares its request and
 * response schemas, which the OpenAPI document at `/docs/json` shows.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";
import { parseAdminBody } from "../http/read_body.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { IdParams } from "../schemas/_common.ts";
import {
  AdminKeyAnswer,
  ChannelPage,
  CompanyCreated,
  CompanyPage,
  InboundSimulated,
} from "../schemas/admin_answers.ts";
import {
  ChannelCreate,
  ChannelPatch,
  CompanyCreate,
  ListQuery,
  SimulateInbound,
} from "../schemas/admin_requests.ts";
import { ChannelView } from "../schemas/admin_views.ts";
import { adminResponses as answers } from "../schemas/responses.ts";
import * as channels from "../services/admin_channels.ts";
import * as companies from "../services/admin_companies.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import * as keys from "../services/admin_keys.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminRunner, adminDoc as doc } from "./admin_run.ts";

const NO_CONTENT = { 204: Type.Null({ description: "Deleted" }) };

export function adminRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
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
        response: answers({ 201: CompanyCreated }, "VALIDATION_ERROR", "FORBIDDEN"),
        ...doc("Companies", "Create a company and its admin key (operator only)"),
      },
    )
    .get(
      "/companies",
      ({ request, query }) =>
        run(request, (c) =>
          c.operator ? companies.listCompanies(deps, query) : companies.operatorOnly(c.requestId),
        ),
      {
        query: ListQuery,
        response: answers({ 200: CompanyPage }, "VALIDATION_ERROR", "FORBIDDEN"),
        ...doc("Companies", "List companies (operator only)"),
      },
    )
    .post(
      "/companies/:id/keys/rotate",
      ({ request, params }) => run(request, (c) => keys.rotateCompanyKey(deps, c, params.id)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 200: AdminKeyAnswer }, "FORBIDDEN", "NOT_FOUND"),
        ...doc(
          "Companies",
          "Rotate a company's admin key (operator only); the old one is refused at once",
        ),
      },
    )
    .post("/keys/rotate", ({ request }) => run(request, (c) => keys.rotateOwnKey(deps, c)), {
      parse: "none",
      response: answers({ 200: AdminKeyAnswer }, "CONFLICT"),
      ...doc("Companies", "Rotate the admin key of this request; the old one is refused at once"),
    })
    .post(
      "/channels",
      ({ request, body }) =>
        run(request, (c) => channels.createChannel(deps, c.company, body, c.requestId, c)),
      {
        body: ChannelCreate,
        response: answers({ 201: ChannelView }, "VALIDATION_ERROR", "FORBIDDEN"),
        ...doc("Channels", "Create a channel"),
      },
    )
    .get(
      "/channels",
      ({ request, query }) => run(request, (c) => channels.listChannels(deps, c.company, query)),
      {
        query: ListQuery,
        response: answers({ 200: ChannelPage }, "VALIDATION_ERROR"),
        ...doc("Channels", "List channels"),
      },
    )
    .get(
      "/channels/:id",
      ({ request, params }) =>
        run(request, (c) => channels.getChannel(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: ChannelView }, "NOT_FOUND"),
        ...doc("Channels", "Get a channel"),
      },
    )
    .patch(
      "/channels/:id",
      ({ request, params, body }) =>
        run(request, (c) =>
          channels.patchChannel(deps, c.company, params.id, body, c.requestId, c),
        ),
      {
        params: IdParams,
        body: ChannelPatch,
        response: answers({ 200: ChannelView }, "VALIDATION_ERROR", "FORBIDDEN", "NOT_FOUND"),
        ...doc("Channels", "Change a channel"),
      },
    )
    .delete(
      "/channels/:id",
      ({ request, params }) =>
        run(request, (c) => channels.deleteChannel(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers(NO_CONTENT, "NOT_FOUND"),
        ...doc("Channels", "Delete a channel (its tokens stop working: 404 CHANNEL_NOT_FOUND)"),
      },
    )
    .post(
      "/channels/:id/simulate-inbound",
      ({ request, params, body }) =>
        run(request, (c) =>
          channels.simulateInbound(deps, c.company, params.id, body, c.requestId),
        ),
      {
        params: IdParams,
        body: SimulateInbound,
        response: answers({ 201: InboundSimulated }, "VALIDATION_ERROR", "NOT_FOUND"),
        ...doc("Channels", "Pretend a message arrived on a sandbox channel"),
      },
    );
}
