/**
 * Two instances on one Postgres and one Redis (issue 6): rotation is immediate everywhere,
 * rate limits and idempotency keys are shared, and fan-out delivers every event exactly once.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  clusterEnv,
  createTestDatabase,
  describeCluster,
  type Instance,
  startInstance,
} from "../support/cluster.ts";
import { type Receiver, startReceiver } from "../support/receiver.ts";
import { ADDRESSES, SEED, waitFor } from "../support/test_server.ts";

describeCluster("two instances on Postgres and Redis", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Instance;
  let b: Instance;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    const env = await clusterEnv(db);
    a = await startInstance(env);
    b = await startInstance(env);
    receiver = startReceiver();
    // Starting two processes takes seconds on a loaded machine: past the 5 s hook default.
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled([a?.kill(), b?.kill()]);
    receiver?.close();
    await db?.drop();
  });

  async function channelAndToken(extra: Record<string, unknown> = {}) {
    const channel = await a.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "sms",
    });
    expect(channel.status).toBe(201);
    const created = await a.admin("POST", "/integrations", {
      kind: "custom",
      name: "app",
      channelId: channel.body.id,
      ...extra,
    });
    expect(created.status).toBe(201);
    return {
      channelId: channel.body.id as string,
      id: created.body.integration.id as string,
      token: created.body.token as string,
    };
  }

  test("both instances report Postgres and Redis ready", async () => {
    for (const instance of [a, b]) {
      const ready = await fetch(`${instance.url}/ready`);
      expect(ready.status).toBe(200);
      expect((await ready.json()).checks).toEqual({ database: "ok", redis: "ok" });
    }
  });

  test("a token rotated through A is refused by B on the very next request", async () => {
    const { id, token } = await channelAndToken();
    // B has looked the token up (and cached it).
    expect((await b.send(token, SEED.sms)).status).toBe(200);
    expect((await b.send(token, SEED.sms)).status).toBe(200);
    const rotated = await a.admin("POST", `/integrations/${id}/rotate`);
    expect(rotated.status).toBe(200);
    expect((await b.send(token, SEED.sms)).status).toBe(401);
    expect((await b.send(rotated.body.token, SEED.sms)).status).toBe(200);
  });

  test("a rate limit counts the requests of both instances", async () => {
    const { token } = await channelAndToken({ rateLimit: { perSecond: 0.01, burst: 10 } });
    const statuses = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        (i % 2 === 0 ? a : b).send(token, SEED.sms).then((r) => r.status),
      ),
    );
    // Redis slower than its deadline lets a request through (fail-open, logged): count those.
    const skipped = [a, b].reduce(
      (n, instance) => n + instance.output().split("rate limit skipped").length - 1,
      0,
    );
    expect(statuses.filter((s) => s === 200).length).toBe(10 + skipped);
    expect(statuses.filter((s) => s === 429).length).toBe(6 - skipped);
  });

  test("an idempotency key used on A replays on B", async () => {
    const { token } = await channelAndToken();
    const headers = { "idempotency-key": "cross-instance-1" };
    const first = await a.send(token, SEED.sms, headers);
    const again = await b.send(token, SEED.sms, headers);
    expect(first.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect((await b.send(token, { ...SEED.sms, body: "other" }, headers)).status).toBe(422);
  });

  test("a webhook created on A receives events created on B, each once", async () => {
    const channel = await a.admin("POST", "/channels", {
      type: "whatsapp",
      address: ADDRESSES.whatsapp,
      name: "wa",
    });
    const hook = await a.admin("POST", "/integrations", {
      kind: "webhook",
      name: "fanout",
      scope: "channel",
      channelId: channel.body.id,
      url: receiver.url,
      events: ["message.received"],
    });
    expect(hook.status).toBe(201);
    const events = 2_000;
    let next = 0;
    const worker = async (instance: Instance) => {
      while (next < events) {
        const i = next++;
        const res = await instance.admin("POST", `/channels/${channel.body.id}/simulate-inbound`, {
          from: "5511988887777",
          text: `m${i}`,
        });
        expect(res.status).toBe(201);
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, i) => worker(i % 2 === 0 ? a : b)));
    await waitFor(
      () => (new Set(receiver.received.map((d) => d.id)).size >= events ? true : undefined),
      60_000,
    );
    await Bun.sleep(500);
    const ids = receiver.received.map((d) => d.id);
    expect(new Set(ids).size).toBe(events);
    // Exactly once when nothing fails.
    expect(ids.length).toBe(events);
  }, 120_000);
});
