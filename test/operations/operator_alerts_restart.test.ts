/**
 * README "Operator alerts": an alert is written before it is sent, so a receiver that is down
 * and a server restart lose none; the retry after the restart carries the same `webhook-id`.
 */
import { afterAll, expect, test } from "bun:test";
import { rmSync } from "node:fs";
import { generateWebhookSecret } from "../../core/signatures.ts";
import { startReceiver } from "../support/receiver.ts";
import { ADDRESSES, SEED, startTestServer, waitFor } from "../support/test_server.ts";

const SECRET = generateWebhookSecret((n) => crypto.getRandomValues(new Uint8Array(n)));
const operator = startReceiver();
operator.secrets = [SECRET];
const dirs: string[] = [];
afterAll(() => {
  operator.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const env = (dataDir?: string) => ({
  SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.5,0.5,0.5,0.5",
  SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  SENDEASY_OPERATOR_WEBHOOK_URL: operator.url,
  SENDEASY_OPERATOR_WEBHOOK_SECRET: SECRET,
  ...(dataDir === undefined ? {} : { SENDEASY_DATA_DIR: dataDir }),
});

test("an alert the receiver refused is sent after a restart, once delivered never again", async () => {
  operator.respond = () => new Response("down", { status: 503 });
  const first = await startTestServer(env());
  dirs.push(first.dataDir);
  const channel = await first.channel({ type: "sms", address: ADDRESSES.sms, credits: 0 });
  const { token } = await first.token(channel.id);
  expect((await first.send(token, SEED.sms)).status).toBe(402);
  await waitFor(() => (operator.received.length >= 1 ? true : undefined), 10_000);
  await first.server.stop();
  const alertId = operator.received[0]?.id;
  const refused = operator.received.length;

  operator.respond = () => new Response("ok");
  const second = await startTestServer(env(first.dataDir));
  dirs.push(second.dataDir);
  try {
    const delivered = await waitFor(() => {
      const row = second.db
        .query<{ status: string; attempts: number }, []>(
          "SELECT status, attempts FROM operator_alerts",
        )
        .get();
      return row?.status === "delivered" ? row : undefined;
    }, 10_000);
    const after = operator.received.slice(refused);
    expect(after.map((r) => [r.id, r.type, r.verified])).toEqual([
      [alertId ?? "", "channel.credits_exhausted", true],
    ]);
    expect(delivered.attempts).toBe(refused + 1);
  } finally {
    await second.server.stop();
  }
});
