/**
 * Fair delivery: one company's receivers that never answer hold at most a bounded share of the
 * worker — per host and per company — and another company's events are still delivered while
 * they hang. (How fast is measured by `bench/fanout.ts --fairness`; this checks the bounds.)
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { type Receiver, startReceiver } from "../../support/receiver.ts";
import { ADDRESSES, startTestServer, type TestServer, waitFor } from "../../support/test_server.ts";

/** A host that accepts every request and never answers; counts what it holds. */
function hangingHost() {
  let holding = 0;
  let most = 0;
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch(request) {
      holding += 1;
      most = Math.max(most, holding);
      return new Promise<Response>((resolve) => {
        request.signal.addEventListener("abort", () => {
          holding -= 1;
          resolve(new Response(null, { status: 499 }));
        });
      });
    },
  });
  return {
    url: (i: number) => `http://127.0.0.1:${server.port}/hooks?i=${i}`,
    get holding() {
      return holding;
    },
    get most() {
      return most;
    },
    stop: () => server.stop(true),
  };
}

let t: TestServer;
let receiver: Receiver;
const hosts = [hangingHost(), hangingHost(), hangingHost()];
beforeAll(async () => {
  receiver = startReceiver();
  // Attempts to the hanging hosts last the whole test: nothing frees their slots.
  t = await startTestServer({
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
    SENDEASY_WEBHOOK_TIMEOUT_MS: "120000",
  });
});
afterAll(async () => {
  for (const host of hosts) host.stop();
  await t.close();
  receiver.close();
});

async function companyWithChannel(name: string) {
  const created = await t.admin("POST", "/companies", { name });
  const headers = { authorization: `Bearer ${created.body.adminKey}` };
  const admin = (method: string, path: string, body?: unknown) =>
    t.admin(method, path, body, headers);
  const channel = await admin("POST", "/channels", {
    type: "sms",
    provider: "sandbox",
    name,
    address: ADDRESSES.sms,
  });
  const event = () =>
    admin("POST", `/channels/${channel.body.id}/simulate-inbound`, {
      from: "+5511988887777",
      text: "hi",
    });
  const webhook = (url: string) =>
    admin("POST", "/integrations", {
      kind: "webhook",
      name: "w",
      scope: "general",
      url,
      events: ["message.received"],
    });
  return { event, webhook };
}

test("one company's hanging receivers hold at most their host's and their company's share; another company is still served", async () => {
  const a = await companyWithChannel("A");
  for (const host of hosts)
    for (let i = 0; i < 15; i++) expect((await a.webhook(host.url(i))).status).toBe(201);
  // 45 destinations × 8 events: far more than the worker's 128 slots if nothing bounded them.
  for (let n = 0; n < 8; n++) expect((await a.event()).status).toBe(201);
  const holding = () => hosts.reduce((sum, host) => sum + host.holding, 0);
  await waitFor(() => (holding() >= 64 ? true : undefined), 10_000);

  const b = await companyWithChannel("B");
  expect((await b.webhook(`${receiver.url}/b`)).status).toBe(201);
  for (let n = 0; n < 5; n++) expect((await b.event()).status).toBe(201);
  await waitFor(() => (receiver.received.length >= 5 ? true : undefined), 10_000);

  // Company A never held more than its 64, nor any host more than 32, even with slots idle.
  for (const host of hosts) expect(host.most).toBeLessThanOrEqual(32);
  expect(holding()).toBe(64);
  expect(hosts.reduce((sum, host) => sum + host.most, 0)).toBeGreaterThanOrEqual(64);
});
