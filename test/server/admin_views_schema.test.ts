/**
 * Every admin answer is what its route declares (server/schemas/): real calls to a real server,
 * each body checked against the schema the OpenAPI document shows for that status.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import {
  AdminKeyAnswer,
  ChannelPage,
  CompanyCreated,
  CompanyPage,
  DeliveryPage,
  EventPage,
  IntegrationPage,
  IntegrationRotated,
  MessagePage,
  SigningSecrets,
  SuppressionPage,
  TokenCreated,
  WebhookCreated,
  WebhookTested,
} from "../../server/schemas/admin_answers.ts";
import {
  ChannelView,
  DeliveryDetailView,
  EventView,
  IntegrationView,
  MessageView,
  SuppressionView,
} from "../../server/schemas/admin_views.ts";
import { ErrorSchema } from "../../server/schemas/responses.ts";
import { SendAccepted } from "../../server/schemas/send.ts";
import { ADDRESSES, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
});
afterAll(() => t.close());

function conforms(schema: TSchema, answer: { status: number; body: unknown }, status = 200) {
  expect(answer.status).toBe(status);
  expect([...Value.Errors(schema, answer.body)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
}

test("admin answers match the schemas their routes declare", async () => {
  const company = await t.admin("POST", "/companies", { name: "Acme" });
  conforms(CompanyCreated, company, 201);
  conforms(CompanyPage, await t.admin("GET", "/companies?limit=5"));
  const companyId = company.body.company.id;
  conforms(AdminKeyAnswer, await t.admin("POST", `/companies/${companyId}/keys/rotate`));

  const created = await t.admin("POST", "/channels", {
    type: "sms",
    address: ADDRESSES.sms,
    name: "SMS",
    credits: 10,
  });
  conforms(ChannelView, created, 201);
  conforms(ChannelView, await t.admin("GET", `/channels/${created.body.id}`));
  conforms(ChannelPage, await t.admin("GET", "/channels"));

  const custom = await t.admin("POST", "/integrations", {
    kind: "custom",
    name: "app",
    channelId: created.body.id,
    rateLimit: { perSecond: 5, burst: 10 },
  });
  conforms(TokenCreated, custom, 201);
  const receiver = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("ok") });
  try {
    const webhook = await t.admin("POST", "/integrations", {
      kind: "webhook",
      name: "hook",
      scope: "general",
      url: `http://127.0.0.1:${receiver.port}/hook`,
      events: ["message.sent"],
    });
    conforms(WebhookCreated, webhook, 201);
    const webhookId = webhook.body.integration.id;
    conforms(IntegrationView, await t.admin("GET", `/integrations/${webhookId}`));
    conforms(IntegrationPage, await t.admin("GET", "/integrations?kind=webhook"));
    conforms(WebhookTested, await t.admin("POST", `/integrations/${webhookId}/test`));
    conforms(IntegrationRotated, await t.admin("POST", `/integrations/${webhookId}/rotate`));
    conforms(SigningSecrets, await t.admin("GET", `/integrations/${webhookId}/signing-secret`));
    conforms(
      IntegrationRotated,
      await t.admin("POST", `/integrations/${custom.body.integration.id}/rotate`),
    );

    const token = (await t.token(created.body.id)).token;
    const sent = await t.send(token, { to: "+5511999999999", body: "Your code: 123456" });
    conforms(SendAccepted, sent);
    conforms(ErrorSchema, await t.send(token, { to: "+5511999999999" }), 400);
    conforms(MessageView, await t.admin("GET", `/messages/${sent.body.id}`));
    conforms(MessagePage, await t.admin("GET", "/messages"));
    const events = await t.admin("GET", "/events");
    conforms(EventPage, events);
    conforms(EventView, await t.admin("GET", `/events/${events.body.data[0].id}`));
    const deliveries = await t.admin("GET", `/deliveries?webhookId=${webhookId}`);
    conforms(DeliveryPage, deliveries);
    conforms(DeliveryDetailView, await t.admin("GET", `/deliveries/${deliveries.body.data[0].id}`));
  } finally {
    receiver.stop(true);
  }

  const suppression = await t.admin("POST", "/suppressions", {
    channelType: "sms",
    address: "+5511988887777",
  });
  conforms(SuppressionView, suppression, 201);
  conforms(SuppressionPage, await t.admin("GET", "/suppressions?channelType=sms"));
  conforms(ErrorSchema, await t.admin("GET", "/channels?limit=0"), 400);
  conforms(ErrorSchema, await t.admin("GET", "/channels/ch_nope"), 404);
});
