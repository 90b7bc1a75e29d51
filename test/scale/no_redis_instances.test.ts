/**
 * Two instances on one Postgres and no Redis: a webhook or a channel changed through one
 * instance reaches the other within 5 seconds (README "Running several instances").
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { backends } from "../support/backends.ts";
import { type Instance, startInstance } from "../support/cluster.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import { ADDRESSES, SEED } from "../support/test_server.ts";

/** What "reaches every instance" must take at most. */
const WITHIN_MS = 5_000;

const postgres = (await backends()).find((backend) => backend.name === "postgres");

describe.skipIf(postgres === undefined)("two instances on Postgres without Redis", () => {
  let a: Instance;
  let b: Instance;
  let receiver: Receiver;
  let channelId: string;
  let token: string;

  beforeAll(async () => {
    const env = {
      ...postgres?.env,
      SENDEASY_SECRET_KEY: randomBytes(32).toString("base64"),
    };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    receiver = startReceiver();
    const channel = await a.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "before",
    });
    channelId = channel.body.id;
    token = (await a.admin("POST", "/integrations", { kind: "custom", name: "app", channelId }))
      .body.token;
    // B has read the company's (empty) webhook list and the token.
    expect((await b.send(token, SEED.sms)).status).toBe(200);
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled([a?.kill(), b?.kill()]);
    receiver?.close();
  });

  /** Sends on B every 100 ms until `seen(sentId)` holds; the time it took, or null. */
  async function untilSeenOnB(seen: (sentId: string) => boolean): Promise<number | null> {
    const started = Date.now();
    while (Date.now() - started < WITHIN_MS + 3_000) {
      const res = await b.send(token, SEED.sms);
      const id = res.body?.id as string | undefined;
      const until = Date.now() + 100;
      while (Date.now() < until) {
        if (id !== undefined && seen(id)) return Date.now() - started;
        await Bun.sleep(10);
      }
    }
    return null;
  }

  test("a webhook created on A gets the events of sends on B within 5 s", async () => {
    const hook = await a.admin("POST", "/integrations", {
      kind: "webhook",
      name: "crm",
      scope: "general",
      url: receiver.url,
      events: ["message.sent"],
    });
    expect(hook.status).toBe(201);
    const took = await untilSeenOnB((id) =>
      receiver.received.some((d) => d.body?.data?.message?.id === id),
    );
    expect(took).not.toBeNull();
    expect(took!).toBeLessThanOrEqual(WITHIN_MS);

    // Disabled on A: B stops creating deliveries for it within 5 s too.
    expect(
      (await a.admin("PATCH", `/integrations/${hook.body.integration.id}`, { enabled: false }))
        .status,
    ).toBe(200);
    const started = Date.now();
    let stillDelivered = true;
    while (stillDelivered && Date.now() - started < WITHIN_MS + 3_000) {
      const id = (await b.send(token, SEED.sms)).body.id as string;
      await Bun.sleep(300);
      stillDelivered = receiver.received.some((d) => d.body?.data?.message?.id === id);
    }
    expect(stillDelivered).toBe(false);
    expect(Date.now() - started).toBeLessThanOrEqual(WITHIN_MS + 300);
  }, 30_000);

  test("a channel renamed on A shows in the events of sends on B within 5 s", async () => {
    await a.admin("POST", "/integrations", {
      kind: "webhook",
      name: "names",
      scope: "general",
      url: `${receiver.url}/names`,
      events: ["message.sent"],
    });
    expect((await a.admin("PATCH", `/channels/${channelId}`, { name: "after" })).status).toBe(200);
    const took = await untilSeenOnB((id) =>
      receiver.received.some(
        (d) => d.body?.data?.message?.id === id && d.body?.channel?.name === "after",
      ),
    );
    expect(took).not.toBeNull();
    expect(took!).toBeLessThanOrEqual(WITHIN_MS);
  }, 30_000);
});
