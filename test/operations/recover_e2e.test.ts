/**
 * README "Recovering deliveries": after a receiver's outage, `deliveries recover` (CLI and
 * `POST /api/admin/integrations/:id/recover`) retries every delivery of the webhook that failed
 * in the period; a dry run only counts. A real receiver, down and then up.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { captureContext } from "../support/capture_context.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import { ADDRESSES, startTestServer, type TestServer, waitFor } from "../support/test_server.ts";

let t: TestServer;
let receiver: Receiver;
let webhookId: string;
let channelId: string;
beforeAll(async () => {
  receiver = startReceiver();
  receiver.respond = () => new Response("down", { status: 503 });
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.1",
  });
  channelId = (await t.channel({ type: "whatsapp", address: ADDRESSES.whatsapp })).id;
  const created = await t.admin("POST", "/integrations", {
    kind: "webhook",
    name: "crm",
    scope: "general",
    url: receiver.url,
    events: ["message.received"],
  });
  webhookId = created.body.integration.id;
});
afterAll(async () => {
  await t.close();
  receiver.close();
});

async function cli(argv: string[]) {
  const captured = captureContext({ baseUrl: t.url, adminKey: t.adminKey, now: () => Date.now() });
  const code = await runCli(argv, captured.ctx);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

const deliveries = async (status: string): Promise<any[]> =>
  (await t.admin("GET", `/deliveries?webhookId=${webhookId}&status=${status}&limit=100`)).body.data;

test("a receiver down, then up: recover retries every failed delivery; a dry run counts only", async () => {
  for (let i = 0; i < 3; i++) {
    await t.admin("POST", `/channels/${channelId}/simulate-inbound`, {
      from: "5511988887777",
      text: `hi ${i}`,
    });
  }
  await waitFor(async () => ((await deliveries("failed")).length === 3 ? true : undefined), 10_000);
  const refused = receiver.received.length;
  expect(refused).toBe(6); // two attempts each

  const dry = await t.admin("POST", `/integrations/${webhookId}/recover`, {
    since: "1h",
    dryRun: true,
  });
  expect(dry.status).toBe(200);
  expect(dry.body).toMatchObject({ webhookId, dryRun: true, count: 3, webhookEnabled: true });
  const dryCli = await cli([
    "deliveries",
    "recover",
    "--webhook",
    webhookId,
    "--since",
    "1h",
    "--dry-run",
  ]);
  expect(dryCli.code).toBe(0);
  expect(dryCli.stdout.join("\n")).toContain("3 failed deliveries since");
  expect((await deliveries("failed")).length).toBe(3);

  receiver.respond = () => new Response("ok");
  const run = await cli(["deliveries", "recover", "--webhook", webhookId, "--since", "1h"]);
  expect(run.code).toBe(0);
  expect(run.stdout.join("\n")).toMatch(/^3 failed deliveries since .* queued for retry$/);
  await waitFor(
    async () => ((await deliveries("succeeded")).length === 3 ? true : undefined),
    10_000,
  );
  const after = receiver.received.slice(refused);
  expect(after).toHaveLength(3);
  expect(new Set(after.map((r) => r.body.data.text ?? r.id)).size).toBe(3);
  // Nothing failed is left in the period: a second run finds none.
  const again = await t.admin("POST", `/integrations/${webhookId}/recover`, { since: "1h" });
  expect(again.status).toBe(202);
  expect(again.body.count).toBe(0);
});

test("recover refuses a bad period, an unknown webhook, and a since in the future", async () => {
  const bad = await t.admin("POST", `/integrations/${webhookId}/recover`, { since: "yesterday" });
  expect(bad.status).toBe(400);
  expect(bad.body.error).toBe("VALIDATION_ERROR");
  expect(bad.body.details[0].path).toBe("/since");
  const future = new Date(Date.now() + 3_600_000).toISOString();
  expect(
    (await t.admin("POST", `/integrations/${webhookId}/recover`, { since: future })).status,
  ).toBe(400);
  const unknown = await t.admin("POST", "/integrations/int_01JGZ5Y8K3M9T4W7Q2R6X1V0BN/recover", {
    since: "6h",
  });
  expect(unknown.status).toBe(404);
  const extra = await t.admin("POST", `/integrations/${webhookId}/recover`, {
    since: "6h",
    all: 1,
  });
  expect(extra.status).toBe(400);
  const usage = await cli(["deliveries", "recover", "--webhook", webhookId]);
  expect(usage.code).toBe(2);
});
