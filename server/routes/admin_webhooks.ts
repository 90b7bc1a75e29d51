/**
 * Admin routes for webhook operations (docs/api.md#admin-api): test, signing secret, events
 * and replay, the delivery log and retries.
 *
 * @module
 */
import { Elysia, t } from "elysia";
import { parseAdminBody } from "../http/read_body.ts";
import type { RequestIds } from "../http/request_ids.ts";
import { IdParams } from "../schemas/_common.ts";
import {
  DeliveriesRecovered,
  DeliveryPage,
  EventPage,
  EventReplayed,
  SigningSecrets,
  WebhookTested,
} from "../schemas/admin_answers.ts";
import { DeliveryQuery, ListQuery, RecoverBody } from "../schemas/admin_requests.ts";
import { DeliveryDetailView, DeliveryView, EventView } from "../schemas/admin_views.ts";
import { adminResponses as answers } from "../schemas/responses.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import { recoverDeliveries } from "../services/admin_recover.ts";
import * as hooks from "../services/admin_webhooks.ts";
import type { AdminGate } from "./admin_gate.ts";
import { adminRunner, adminDoc as doc } from "./admin_run.ts";

const EventQuery = t.Object({
  ...ListQuery.properties,
  channelId: t.Optional(t.String({ description: "Only this channel's events" })),
});

export function adminWebhookRoutes(deps: AdminDeps, gate: AdminGate, requestIds: RequestIds) {
  const run = adminRunner(gate, requestIds);
  return new Elysia({ name: "admin-webhooks", prefix: "/api/admin", normalize: false })
    .onParse(({ request, contentType }) => parseAdminBody(request, contentType))
    .post(
      "/integrations/:id/test",
      ({ request, params }) =>
        run(request, (c) => hooks.testWebhook(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 200: WebhookTested }, "NOT_FOUND"),
        ...doc("Webhooks", "Send integration.test to this webhook now; answers the attempt"),
      },
    )
    .post(
      "/integrations/:id/recover",
      ({ request, params, body }) =>
        run(request, (c) =>
          recoverDeliveries(deps, c.company, { id: params.id, ...body }, c.requestId),
        ),
      {
        params: IdParams,
        body: RecoverBody,
        response: answers(
          { 200: DeliveriesRecovered, 202: DeliveriesRecovered },
          "VALIDATION_ERROR",
          "NOT_FOUND",
        ),
        ...doc(
          "Deliveries",
          "Retry every delivery of this webhook that failed in the period; answers the count",
        ),
      },
    )
    .get(
      "/integrations/:id/signing-secret",
      ({ request, params }) =>
        run(request, (c) => hooks.signingSecret(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: SigningSecrets }, "NOT_FOUND"),
        ...doc("Webhooks", "The webhook's signing secret (and the previous one during a rotation)"),
      },
    )
    .get(
      "/events",
      ({ request, query }) => run(request, (c) => hooks.listEvents(deps, c.company, query)),
      {
        query: EventQuery,
        response: answers({ 200: EventPage }, "VALIDATION_ERROR"),
        ...doc("Events", "List events"),
      },
    )
    .get(
      "/events/:id",
      ({ request, params }) =>
        run(request, (c) => hooks.getEvent(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: EventView }, "NOT_FOUND"),
        ...doc("Events", "Get an event with its envelope"),
      },
    )
    .post(
      "/events/:id/replay",
      ({ request, params }) =>
        run(request, (c) => hooks.replayEvent(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 202: EventReplayed }, "NOT_FOUND"),
        ...doc("Events", "Deliver the event again to today's targets"),
      },
    )
    .get(
      "/deliveries",
      ({ request, query }) => run(request, (c) => hooks.listDeliveries(deps, c.company, query)),
      {
        query: DeliveryQuery,
        response: answers({ 200: DeliveryPage }, "VALIDATION_ERROR"),
        ...doc("Deliveries", "List deliveries"),
      },
    )
    .get(
      "/deliveries/:id",
      ({ request, params }) =>
        run(request, (c) => hooks.getDelivery(deps, c.company, params.id, c.requestId)),
      {
        params: IdParams,
        response: answers({ 200: DeliveryDetailView }, "NOT_FOUND"),
        ...doc("Deliveries", "Get a delivery with its attempts"),
      },
    )
    .post(
      "/deliveries/:id/retry",
      ({ request, params }) =>
        run(request, (c) => hooks.retryDelivery(deps, c.company, params.id, c.requestId)),
      {
        parse: "none",
        params: IdParams,
        response: answers({ 202: DeliveryView }, "NOT_FOUND"),
        ...doc("Deliveries", "Make a delivery due now"),
      },
    );
}
