/**
 * A client of the Sendeasy API written only against the types openapi-typescript generates
 * from `/docs/json` (`./schema.d.ts`, written beside this file by the test), called through
 * openapi-fetch. It type-checks only if the document describes these calls and their answers.
 * Prints one JSON line of what it saw.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.d.ts";

type Channel = components["schemas"]["Channel"];

const baseUrl = process.env.SENDEASY_URL ?? "";
const admin = createClient<paths>({
  baseUrl,
  headers: { authorization: `Bearer ${process.env.SENDEASY_ADMIN_KEY ?? ""}` },
});

const created = await admin.POST("/api/admin/channels", {
  body: { type: "sms", address: "+5511933334444", name: "SMS main", credits: null },
});
if (created.data === undefined) throw new Error(`channel: ${JSON.stringify(created.error)}`);
const channel: Channel = created.data;

const integration = await admin.POST("/api/admin/integrations", {
  body: { kind: "custom", name: "my app", channelId: channel.id },
});
if (integration.data === undefined || !("token" in integration.data)) {
  throw new Error(`token: ${JSON.stringify(integration.error)}`);
}
const token: string = integration.data.token;
const tokenPrefix: string = integration.data.integration.tokenPrefix;

const app = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
const sent = await app.POST("/api/integration/generic", {
  params: { header: { "idempotency-key": "order-42" } },
  body: { to: "+5511999999999", body: "Your code: 123456", channelType: "sms" },
});
if (sent.data === undefined) throw new Error(`send: ${JSON.stringify(sent.error)}`);
// Without `Prefer: respond-async` the answer is the 200 (a 202 is the queued shape).
if (sent.data.status !== "sent") throw new Error(`send was queued: ${JSON.stringify(sent.data)}`);
const accepted = sent.data;
const replayed = sent.response.headers.get("Idempotent-Replayed");

const refused = await app.POST("/api/integration/generic", {
  body: { to: "+5511999999999", body: "" },
});
const refusal: string | undefined = refused.error?.error;

const page = await admin.GET("/api/admin/messages", { params: { query: { limit: 10 } } });
if (page.data === undefined) throw new Error(`messages: ${JSON.stringify(page.error)}`);
const messages = page.data.data.map((message) => ({
  id: message.id,
  status: message.status,
  channelId: message.channel.id,
}));

console.log(
  JSON.stringify({
    channel: { id: channel.id, type: channel.type, provider: channel.provider },
    tokenPrefix,
    sent: { id: accepted.id, status: accepted.status, segments: accepted.segments ?? null },
    replayed,
    refusal,
    messages,
    nextCursor: page.data.nextCursor,
  }),
);
