/**
 * Backend outages (issue 6): Redis stopped mid-run and restarted, Postgres connections cut.
 * Sends keep answering, and no delivery is lost.
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
import { PrivateRedis } from "../support/redis.ts";
import { ADDRESSES, SEED, waitFor } from "../support/test_server.ts";

describeCluster("outages of Redis and Postgres", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let redis: PrivateRedis;
  let instance: Instance;
  let receiver: Receiver;
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    redis = await PrivateRedis.start();
    instance = await startInstance(
      await clusterEnv(db, {
        REDIS_URL: redis.url,
        SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.2,0.5,1,1,1",
      }),
    );
    receiver = startReceiver();
    const channel = await instance.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "sms",
    });
    const hook = await instance.admin("POST", "/integrations", {
      kind: "webhook",
      name: "sent",
      scope: "general",
      url: receiver.url,
      events: ["message.sent"],
    });
    expect(hook.status).toBe(201);
    token = (
      await instance.admin("POST", "/integrations", {
        kind: "custom",
        name: "app",
        channelId: channel.body.id,
      })
    ).body.token;
    // Starting the process takes seconds on a loaded machine: past the 5 s hook default.
  }, 30_000);
  afterAll(async () => {
    await instance?.kill();
    await redis?.kill();
    receiver?.close();
    await db?.drop();
  });

  async function sendMany(n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await instance.send(token, SEED.sms);
      expect(res.status).toBe(200);
      ids.push(res.body.id);
    }
    return ids;
  }

  test("sends keep answering while Redis is down, and every delivery arrives", async () => {
    const before = await sendMany(20);
    await redis.kill();
    const during = await sendMany(20);
    const ready = await fetch(`${instance.url}/ready`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).checks.redis).toBe("down");
    await redis.restart();
    await waitFor(
      async () => ((await fetch(`${instance.url}/ready`)).status === 200 ? true : undefined),
      10_000,
    );
    const after = await sendMany(20);
    const sent = new Set([...before, ...during, ...after]);
    await waitFor(() => {
      const got = new Set(receiver.received.map((d) => d.body.data.message.id));
      return [...sent].every((id) => got.has(id)) ? true : undefined;
    }, 15_000);
  }, 60_000);

  test("a rotation while Redis is down is still refused at once", async () => {
    const channel = await instance.admin("POST", "/channels", {
      type: "sms",
      address: ADDRESSES.sms,
      name: "sms2",
    });
    const created = await instance.admin("POST", "/integrations", {
      kind: "custom",
      name: "r",
      channelId: channel.body.id,
    });
    expect((await instance.send(created.body.token, SEED.sms)).status).toBe(200);
    await redis.kill();
    const rotated = await instance.admin(
      "POST",
      `/integrations/${created.body.integration.id}/rotate`,
    );
    expect(rotated.status).toBe(200);
    expect((await instance.send(created.body.token, SEED.sms)).status).toBe(401);
    expect((await instance.send(rotated.body.token, SEED.sms)).status).toBe(200);
    await redis.restart();
  }, 30_000);

  test("cut Postgres connections are survived: the next sends succeed", async () => {
    await sendMany(5);
    const cut = await db.terminateSessions();
    expect(cut).toBeGreaterThan(0);
    const ids = await sendMany(10);
    await waitFor(() => {
      const got = new Set(receiver.received.map((d) => d.body.data.message.id));
      return ids.every((id) => got.has(id)) ? true : undefined;
    }, 15_000);
  }, 30_000);
});
