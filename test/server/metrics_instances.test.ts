/**
 * GET /metrics with two instances on one Postgres database: each counts its own sends, both
 * read the same gauges from the store.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  createTestDatabase,
  POSTGRES_ADMIN_URL,
  probePostgres,
  TEST_KEY,
  type TestDatabase,
} from "../support/postgres_harness.ts";
import { ADDRESSES, SEED, startTestServer, type TestServer } from "../support/test_server.ts";
import { sample } from "./_metrics_text.ts";

const TOKEN = "metrics-token-for-tests-0123456789";
const scrape = async (t: TestServer) =>
  (await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();

let db: TestDatabase;
let a: TestServer;
let b: TestServer;
beforeAll(async () => {
  const probe = await probePostgres();
  if (!probe.ok) throw new Error(`Cannot reach Postgres at ${POSTGRES_ADMIN_URL}: ${probe.reason}`);
  db = await createTestDatabase();
  // Instances of one deployment share the database and the secret key.
  const env = {
    DATABASE_URL: db.url,
    SENDEASY_METRICS_TOKEN: TOKEN,
    SENDEASY_SECRET_KEY: TEST_KEY,
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  };
  a = await startTestServer(env);
  b = await startTestServer(env);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await db?.drop();
});

test("each instance counts its own sends; the disabled-webhook gauge is the store's", async () => {
  const channel = await a.channel({ type: "sms", address: ADDRESSES.sms });
  const { token } = await a.token(channel.id);
  expect((await a.send(token, SEED.sms)).status).toBe(200);
  expect((await a.send(token, SEED.sms)).status).toBe(200);
  expect((await b.send(token, SEED.sms)).status).toBe(200);
  const created = await a.admin("POST", "/integrations", {
    kind: "webhook",
    name: "off",
    scope: "general",
    url: "http://127.0.0.1:9/in",
  });
  expect(created).toMatchObject({ status: 201 });
  const id = created.body.integration?.id ?? created.body.id;
  expect((await a.admin("PATCH", `/integrations/${id}`, { enabled: false })).status).toBe(200);

  const sent = { channel_type: "sms", provider: "sandbox", outcome: "sent" };
  const [textA, textB] = [await scrape(a), await scrape(b)];
  expect(sample(textA, "sendeasy_sends_total", sent)).toBe(2);
  expect(sample(textB, "sendeasy_sends_total", sent)).toBe(1);
  for (const text of [textA, textB]) {
    expect(sample(text, "sendeasy_webhooks_disabled", { reason: "manual" })).toBe(1);
    expect(sample(text, "sendeasy_messages_queued")).toBe(0);
    expect(sample(text, "sendeasy_delivery_oldest_due_age_seconds")).toBe(0);
  }
});
