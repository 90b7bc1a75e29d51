import { expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../server/app.ts";
import { ADDRESSES, OPERATOR_KEY, SEED } from "../support/test_server.ts";

const env = (dataDir: string) => ({
  PORT: "0",
  HOST: "127.0.0.1",
  SENDEASY_DATA_DIR: dataDir,
  SENDEASY_ADMIN_KEY: OPERATOR_KEY,
  SENDEASY_LOG_LEVEL: "silent",
});

test("a clean stop gives accepted sandbox messages their delivered status before closing", async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-shutdown-"));
  try {
    const first = await startServer(env(dataDir), { print: () => undefined });
    const admin = (server: { url: string }, method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/api/admin${path}`, {
        method,
        headers: { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      }).then((r) => r.json() as Promise<any>);
    // Delivered only after a minute: the stop comes first.
    const channel = await admin(first, "POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "slow",
      config: { deliveredAfterMs: "60000" },
    });
    const { token } = await admin(first, "POST", "/integrations", {
      kind: "custom",
      name: "a",
      channelId: channel.id,
    });
    const sent = await fetch(`${first.url}/api/integration/generic`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(SEED.sms),
    }).then((r) => r.json() as Promise<any>);
    expect(sent.status).toBe("sent");
    await first.stop();

    const second = await startServer(env(dataDir), { print: () => undefined });
    const message = await admin(second, "GET", `/messages/${sent.id}`);
    await second.stop();
    expect(message.status).toBe("delivered");
    expect(message.history.map((h: { status: string }) => h.status)).toEqual(["sent", "delivered"]);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
