/**
 * Fan-out shared by two instances on one Postgres and one Redis (issue 6): 10 000 events,
 * every delivery exactly once when nothing fails; one instance SIGKILLed mid-run, the other
 * finishes and none is missing.
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
import { ADDRESSES, waitFor } from "../support/test_server.ts";

describeCluster("10 000 events fanned out by two instances", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let env: Awaited<ReturnType<typeof clusterEnv>>;
  const instances: Instance[] = [];
  const receivers: Receiver[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    // A short attempt timeout keeps the lease of a killed instance short (timeout + 5 s).
    env = await clusterEnv(db, {
      SENDEASY_WEBHOOK_TIMEOUT_MS: "2000",
      SENDEASY_WEBHOOK_RETRY_SCHEDULE: "0.5,1,1,1,1,1",
    });
    instances.push(await startInstance(env), await startInstance(env));
    // Starting two processes takes seconds on a loaded machine: past the 5 s hook default.
  }, 30_000);
  afterAll(async () => {
    await Promise.allSettled(instances.map((i) => i.kill()));
    for (const r of receivers) r.close();
    await db?.drop();
  });

  /** A channel with one webhook to a fresh receiver, on the first instance. */
  async function channelWithReceiver(): Promise<{ channelId: string; receiver: Receiver }> {
    const receiver = startReceiver();
    receivers.push(receiver);
    const [a] = instances;
    const channel = await a!.admin("POST", "/channels", {
      type: "whatsapp",
      address: ADDRESSES.whatsapp,
      name: "wa",
    });
    const hook = await a!.admin("POST", "/integrations", {
      kind: "webhook",
      name: "fanout",
      scope: "channel",
      channelId: channel.body.id,
      url: receiver.url,
      events: ["message.received"],
    });
    expect(hook.status).toBe(201);
    return { channelId: channel.body.id, receiver };
  }

  /**
   * Creates `count` events (texts m0…m{count-1}) through the live instances, 16 in flight.
   * A request cut by a kill is sent again through a live instance: that may create a second
   * event with the same text, so the tests count texts, not only event ids.
   */
  async function createEvents(
    channelId: string,
    count: number,
    live: () => Instance[],
  ): Promise<void> {
    let next = 0;
    const lane = async (lane: number) => {
      for (let i = next++; i < count; i = next++) {
        for (let attempt = 0; ; attempt++) {
          const instances = live();
          const instance = instances[(lane + attempt) % instances.length]!;
          const res = await instance
            .admin("POST", `/channels/${channelId}/simulate-inbound`, {
              from: "5511988887777",
              text: `m${i}`,
            })
            .catch(() => null);
          if (res?.status === 201) break;
          if (attempt > 20) throw new Error(`event m${i} could not be created`);
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, (_, n) => lane(n)));
  }

  const texts = (r: Receiver) => new Set(r.received.map((d) => d.body.data.message.payload.text));

  test("every delivery arrives exactly once when nothing fails", async () => {
    const { channelId, receiver } = await channelWithReceiver();
    const events = 10_000;
    await createEvents(channelId, events, () => instances);
    await waitFor(() => (receiver.received.length >= events ? true : undefined), 120_000);
    await Bun.sleep(1000);
    expect(texts(receiver).size).toBe(events);
    expect(new Set(receiver.received.map((d) => d.id)).size).toBe(events);
    expect(receiver.received.length).toBe(events);
  }, 240_000);

  test("one instance SIGKILLed mid-run: the other finishes, none missing", async () => {
    const { channelId, receiver } = await channelWithReceiver();
    const events = 3_000;
    let alive = [...instances];
    const creating = createEvents(channelId, events, () => alive);
    await waitFor(() => (receiver.received.length >= 500 ? true : undefined), 60_000);
    alive = [instances[1]!];
    await instances[0]!.kill();
    await creating;
    await waitFor(() => (texts(receiver).size >= events ? true : undefined), 60_000);
    expect(texts(receiver).size).toBe(events);
    const distinct = new Set(receiver.received.map((d) => d.id)).size;
    console.info(
      `two-instance kill: ${events} events arrived, ${receiver.received.length - distinct} duplicate deliveries`,
    );
  }, 180_000);
});
