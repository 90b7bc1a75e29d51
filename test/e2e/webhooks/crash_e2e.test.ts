/**
 * Crash safety (docs/api.md#webhooks): events written while the receiver is down, the server killed
 * with SIGKILL while attempts are in flight, restarted: every delivery arrives.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import { freePort, OPERATOR_KEY, waitFor } from "../../support/test_server.ts";

const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-crash-"));
const children: ReturnType<typeof Bun.spawn>[] = [];
let receiver: Receiver | undefined;
afterAll(() => {
  for (const child of children) child.kill("SIGKILL");
  receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function startProcess(port: number): Promise<string> {
  const child = Bun.spawn(["bun", join(import.meta.dir, "../../support/server_process.ts")], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_ADMIN_KEY: OPERATOR_KEY,
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
      SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.2,0.3,0.5,1,1,1,1,1,1,1,1,1",
      SENDEASY_WEBHOOK_TIMEOUT_MS: "1000",
    },
    stdout: "pipe",
    stderr: "inherit",
  });
  children.push(child);
  const reader = child.stdout.getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("server process exited before it was ready");
    text += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  return text.trim().split(" ")[1]!;
}

test("SIGKILL mid-flight and a restart lose no delivery", async () => {
  // A port for the receiver, left down for now.
  const receiverPort = freePort();
  const serverPort = freePort();
  const url = await startProcess(serverPort);
  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${url}/api/admin${path}`, {
      method,
      headers: { authorization: `Bearer ${OPERATOR_KEY}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return res.json() as Promise<any>;
  };
  const channel = await admin("POST", "/channels", {
    type: "whatsapp",
    address: "+5511911112222",
    name: "wa",
  });
  for (const path of ["a", "b"]) {
    await admin("POST", "/integrations", {
      kind: "webhook",
      name: path,
      scope: "general",
      url: `http://127.0.0.1:${receiverPort}/${path}`,
      events: ["message.received"],
    });
  }
  const events = 50;
  const targets = 2;
  for (let i = 0; i < events; i++) {
    await admin("POST", `/channels/${channel.id}/simulate-inbound`, {
      from: "5511988887777",
      text: `hello ${i}`,
    });
  }
  await Bun.sleep(300); // first attempts fail: connection refused

  // The receiver comes up but hangs, so attempts are in flight when the server dies.
  receiver = startReceiver({ port: receiverPort });
  receiver.respond = async () => {
    await Bun.sleep(3000);
    return new Response("slow");
  };
  await waitFor(() => (receiver!.received.length > 0 ? true : undefined), 5000);
  children[0]!.kill("SIGKILL");
  await children[0]!.exited;
  receiver.respond = () => new Response("ok");

  await startProcess(serverPort);
  await waitFor(() => (distinct(receiver!).size >= events * targets ? true : undefined), 30_000);
  const arrived = distinct(receiver);
  expect(arrived.size).toBe(events * targets);
  const duplicates = receiver.received.length - arrived.size;
  console.info(`crash test: ${arrived.size} distinct deliveries, ${duplicates} duplicates`);
}, 60_000);

/** Distinct (event, destination) pairs: receivers dedupe by webhook-id per endpoint. */
function distinct(r: Receiver): Set<string> {
  return new Set(r.received.map((d) => `${d.id}|${d.path}`));
}
