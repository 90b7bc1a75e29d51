/**
 * The OpenAPI 3.1 document of an app (served at `/docs/json`): the openapi plugin reads every
 * route's schemas, {@linkcode finishDocument} completes the rest.
 *
 * @module
 */
import { toOpenAPISchema } from "@elysiajs/openapi/openapi";
import type { AnyElysia } from "elysia";
import { finishDocument, type RouteInfo } from "./openapi_document.ts";

const INFO = {
  title: "Sendeasy",
  version: "0.1.0",
  description:
    "Send WhatsApp, Email and SMS through one endpoint; receive events on your webhooks. The guide is docs/api.md in the repository.",
  license: { name: "MIT", identifier: "MIT" },
};

const TAGS = [
  { name: "Send", description: "Sending with an integration token" },
  { name: "Companies", description: "Tenants and their admin keys" },
  { name: "Channels", description: "WhatsApp numbers, mailboxes and SMS numbers" },
  { name: "Integrations", description: "Webhooks and custom tokens" },
  { name: "Webhooks", description: "Test events and signing secrets" },
  { name: "Messages", description: "Messages sent and received, with their history" },
  { name: "Events", description: "What happened on a channel, and replays" },
  { name: "Deliveries", description: "Each event to each webhook, with its attempts" },
  { name: "Suppressions", description: "Addresses not to message" },
  { name: "Provider callbacks", description: "Where providers report statuses and inbound mail" },
  { name: "Health", description: "Liveness and readiness" },
];

/**
 * @param app the app with every route registered
 * @param serverUrl where the server is reached (SENDEASY_PUBLIC_URL)
 * @returns the document as JSON-ready data
 */
export function buildOpenApiDocument(app: AnyElysia, serverUrl: string): Record<string, unknown> {
  const { paths } = toOpenAPISchema(app, undefined, undefined, undefined, "3.1.0");
  const raw = { openapi: "3.1.0", info: INFO, tags: TAGS, paths, components: {} };
  const routes = app.routes as unknown as RouteInfo[];
  return finishDocument(JSON.parse(JSON.stringify(raw)), { serverUrl, routes });
}
