/**
 * The webhook and deliveries commands against the real server (private webhooks allowed) and a
 * real receiver on 127.0.0.1: add → test (2xx, then 500) → the delivery log → retry → replay →
 * remove, with the CLI run in-process.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { runCli } from "../../cli/run_cli.ts";
import { verifyWebhook } from "../../core/signatures.ts";
import { captureContext } from "../support/capture_context.ts";
import { startTestServer, type TestServer, waitFor } from "../support/test_server.ts";

interface Received {
  headers: Headers;
  body: string;
}

let t: TestServer;
let receiver: ReturnType<typeof Bun.serve>;
const received: Received[] = [];
let answer = 200;

beforeAll(async () => {
  receiver = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(request) {
      received.push({ headers: request.headers, body: await request.text() });
      return new Response(answer < 300 ? "ok" : "receiver is down\nmore detail", {
        status: answer,
      });
    },
  });
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
});

afterAll(async () => {
  await t.close();
  receiver.stop(true);
});

async function cli(...argv: string[]) {
  const captured = captureContext({ baseUrl: t.url, adminKey: t.adminKey, now: () => Date.now() });
  const code = await runCli(argv, captured.ctx);
  return { code, stdout: captured.stdout, stderr: captured.stderr };
}

async function deliveriesOf(webhookId: string): Promise<Record<string, unknown>[]> {
  const listed = await cli("deliveries", "list", "--webhook", webhookId, "--json");
  expect(listed.code).toBe(0);
  return JSON.parse(listed.stdout.join("\n"));
}

test("webhook add → test → deliveries list/show/retry → event replay → webhook remove", async () => {
  const url = `http://127.0.0.1:${receiver.port}/hook`;

  // add: the id, then the signing secret alone on the last line, never on stderr.
  const added = await cli("webhook", "add", "--url", url, "--name", "E2E", "--bearer", "rcv_tok");
  expect(added.code).toBe(0);
  expect(added.stdout).toHaveLength(2);
  const [id = "", secret = ""] = added.stdout;
  expect(id).toMatch(/^int_/);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
  expect(added.stderr.join("\n")).not.toContain(secret);

  const listed = await cli("webhook", "list");
  expect(listed.code).toBe(0);
  const row = listed.stdout.find((line) => line.startsWith(id));
  expect(row).toContain(url);
  expect(row).toMatch(/general\s+-\s+\S+\s+all\s+enabled$/);
  expect(listed.stdout.join("\n")).not.toContain(secret);

  // test → 2xx: the receiver gets a signed integration.test with the bearer token; exit 0.
  const ok = await cli("webhook", "test", id);
  expect(ok).toMatchObject({ code: 0, stderr: [] });
  expect(ok.stdout[0]).toMatch(/^succeeded: HTTP 200 in \d+ ms \(delivery dlv_\S+\)$/);
  expect(received).toHaveLength(1);
  const first = received[0] as Received;
  expect(JSON.parse(first.body)).toMatchObject({ type: "integration.test" });
  expect(first.headers.get("authorization")).toBe("Bearer rcv_tok");
  const verified = await verifyWebhook(
    {
      id: first.headers.get("webhook-id") ?? "",
      timestamp: Number(first.headers.get("webhook-timestamp")),
      body: first.body,
    },
    first.headers.get("webhook-signature") ?? "",
    { secret, now: Date.now() },
  );
  expect(verified).toEqual({ ok: true });

  // test → 500: exit 1, the first line of the response on stderr.
  answer = 500;
  const bad = await cli("webhook", "test", id);
  expect(bad.code).toBe(1);
  expect(bad.stdout[0]).toMatch(/^failed: HTTP 500 in \d+ ms \(delivery dlv_\S+\)$/);
  expect(bad.stderr).toEqual([
    "error: the webhook answered HTTP 500",
    "  response: receiver is down",
  ]);
  expect(received).toHaveLength(2);

  // The delivery log shows both test deliveries; the table and `show` agree.
  const deliveries = await deliveriesOf(id);
  expect(deliveries).toHaveLength(2);
  const failed = deliveries.find((d) => d.status === "failed");
  const succeeded = deliveries.find((d) => d.status === "succeeded");
  expect(failed).toMatchObject({ webhookId: id, attempts: 1, lastStatusCode: 500 });
  expect(succeeded).toMatchObject({ webhookId: id, attempts: 1, lastStatusCode: 200 });
  const failedId = String(failed?.id);
  expect(bad.stdout[0]).toContain(failedId);

  const table = await cli("deliveries", "list", "--webhook", id, "--status", "failed");
  expect(table.code).toBe(0);
  expect(table.stdout).toHaveLength(2);
  expect(table.stdout[1]).toMatch(
    new RegExp(`^${failedId}\\s+evt_\\S+\\s+${id}\\s+failed\\s+1\\s+500\\s+-$`),
  );

  const shown = await cli("deliveries", "show", failedId);
  expect(shown.code).toBe(0);
  expect(shown.stdout.join("\n")).toMatch(/manual\s+500\s+\d+ ms\s+HTTP 500\s+receiver is down/);

  // retry: pending now; the worker delivers it to the (recovered) receiver.
  answer = 200;
  const retried = await cli("deliveries", "retry", failedId);
  expect(retried).toMatchObject({ code: 0, stdout: [`${failedId} pending`] });
  await waitFor(async () => {
    const after = (await deliveriesOf(id)).find((d) => d.id === failedId);
    return after?.status === "succeeded" ? after : undefined;
  }, 10_000);
  expect(received).toHaveLength(3);

  // A real event (an inbound SMS) reaches the general webhook; replay delivers it again.
  const channel = await t.channel({ type: "sms", address: "+5511933334444" });
  const inbound = await t.admin("POST", `/channels/${channel.id}/simulate-inbound`, {
    from: "+5511999999999",
    text: "hello",
  });
  expect(inbound.status).toBeLessThan(300);
  const eventId = await waitFor(async () => {
    const events = await cli("event", "list", "--json");
    const found = JSON.parse(events.stdout.join("\n")).find(
      (e: { type: string }) => e.type === "message.received",
    );
    return found?.id as string | undefined;
  });
  await waitFor(() => (received.length >= 4 ? true : undefined), 10_000);
  const replayed = await cli("event", "replay", eventId);
  expect(replayed.code).toBe(0);
  expect(replayed.stdout[0]).toBe("1 delivery created");
  expect(replayed.stdout[1]).toMatch(new RegExp(`^dlv_\\S+ ${id}$`));
  await waitFor(() => (received.length >= 5 ? true : undefined), 10_000);
  const again = received.slice(3).map((r) => r.headers.get("webhook-id"));
  expect(again).toEqual([eventId, eventId]);

  // disable / enable, then remove.
  expect((await cli("webhook", "disable", id)).code).toBe(0);
  expect((await cli("webhook", "list")).stdout.find((l) => l.startsWith(id))).toMatch(/disabled$/);
  expect((await cli("webhook", "enable", id)).code).toBe(0);
  const removed = await cli("webhook", "remove", id);
  expect(removed).toMatchObject({ code: 0, stdout: [id] });
  const gone = await cli("webhook", "list", "--json");
  expect(JSON.parse(gone.stdout.join("\n")).map((w: { id: string }) => w.id)).not.toContain(id);
  expect((await cli("webhook", "test", id)).code).toBe(1);
}, 30_000);
