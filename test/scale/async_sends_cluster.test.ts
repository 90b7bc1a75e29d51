/**
 * Asynchronous sends on two instances sharing Postgres and Redis (README "Throughput, retries,
 * async and scheduled sends"): the channel's pace holds across instances, a send queued on one
 * is canceled on the other, and a `kill -9` of an instance in the middle of a burst loses no
 * message and sends none twice to Resend (every try carries the send's one idempotency key).
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import {
  clusterEnv,
  createTestDatabase,
  describeCluster,
  type Instance,
  startInstance,
} from "../support/cluster.ts";
import { ResendFake } from "../support/fakes/resend_fake.ts";
import { waitFor } from "../support/test_server.ts";

const API_KEY = "re_test_cluster";
const ASYNC = { prefer: "respond-async" };
const order = (n: number) => ({
  to: `customer${n}@company.com`,
  subject: `Order ${n}`,
  html: `<p>Order ${n}</p>`,
});

describeCluster("asynchronous sends on two instances", () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let a: Instance;
  let b: Instance;
  let resend: ResendFake;
  let env: Record<string, string>;
  let c: Instance | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    // Short provider timeout and pace budget: a dead instance's leases run out in 8 s.
    env = await clusterEnv(db, {
      SENDEASY_PROVIDER_TIMEOUT_MS: "1000",
      SENDEASY_SEND_QUEUE_MS: "1000",
    });
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
    resend = new ResendFake(API_KEY);
  }, 30_000);
  afterEach(() => resend.reset());
  afterAll(async () => {
    await Promise.allSettled([a?.kill(), b?.kill(), c?.kill()]);
    await resend?.stop();
    await db?.drop();
  });

  async function emailToken(maxPerSecond: number): Promise<{ token: string; channelId: string }> {
    const channel = await a.admin("POST", "/channels", {
      type: "email",
      provider: "resend",
      name: "orders",
      address: "orders@shop.example",
      config: { apiKey: API_KEY, baseUrl: resend.url, maxPerSecond },
    });
    expect(channel.status).toBe(201);
    const created = await a.admin("POST", "/integrations", {
      kind: "custom",
      name: "app",
      channelId: channel.body.id,
    });
    return { token: created.body.token, channelId: channel.body.id };
  }

  const statusOn = async (instance: Instance, id: string) =>
    (await instance.admin("GET", `/messages/${id}`)).body?.status as string | undefined;

  test("12 sends queued on both instances go out once each, at the channel's shared pace", async () => {
    const { token } = await emailToken(5);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, n) => (n % 2 === 0 ? a : b).send(token, order(n), ASYNC)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(202));
    const ids = answers.map((answer) => answer.body.id as string);
    await waitFor(async () => {
      const statuses = await Promise.all(ids.map((id) => statusOn(b, id)));
      return statuses.every((status) => status === "sent") ? true : undefined;
    }, 20_000);
    expect(resend.sentCount).toBe(12);
    expect(resend.requests).toHaveLength(12);
    const keys = resend.requests.map((request) => request.headers.get("idempotency-key"));
    expect(new Set(keys)).toEqual(new Set(ids));
    // One slot every 200 ms for the channel, whichever instance sends.
    const times = resend.requests.map((request) => request.at).sort((x, y) => x - y);
    const gaps = times.slice(1).map((at, i) => at - times[i]!);
    expect(gaps.sort((x, y) => x - y)[gaps.length >> 1]).toBeGreaterThanOrEqual(150);
  }, 40_000);

  test("a send scheduled on one instance is canceled on the other", async () => {
    const { token } = await emailToken(50);
    const sendAt = new Date(Date.now() + 10 * 60 * 1000).toISOString();
    const queued = await a.send(token, { ...order(99), sendAt });
    expect(queued.status).toBe(202);
    const canceled = await b.admin("POST", `/messages/${queued.body.id}/cancel`);
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: "failed", error: { code: "canceled" } });
    expect((await a.admin("POST", `/messages/${queued.body.id}/cancel`)).status).toBe(409);
    expect(resend.requests).toHaveLength(0);
  });

  test("kill -9 of an instance during a burst loses no message and sends none twice", async () => {
    const { token } = await emailToken(100);
    // Resend sends at once and answers late, so the instance dies with e-mails sent that it
    // never heard about: the other instance sends them again once their lease runs out.
    resend.answerDelayMs = 800;
    // One instance takes the burst and dies; a new one, started after, recovers its sends.
    await b.kill();
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, n) => a.send(token, order(n), ASYNC)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(30).fill(202));
    const ids = answers.map((answer) => answer.body.id as string);
    await waitFor(() => (resend.requests.length >= 3 ? true : undefined), 10_000);
    await a.kill();
    const inFlight = resend.requests.length;
    c = await startInstance(env);
    const survivor = c;
    await waitFor(async () => {
      const statuses = await Promise.all(ids.map((id) => statusOn(survivor, id)));
      return statuses.every((status) => status === "sent") ? true : undefined;
    }, 40_000);
    // Every message went out exactly once; a key asked twice was answered from Resend's record.
    expect(resend.sentCount).toBe(30);
    expect(new Set(resend.sentByKey.keys())).toEqual(new Set(ids));
    // The e-mails at Resend when the instance died were asked again, under the same keys.
    expect(resend.requests.length).toBeGreaterThanOrEqual(30 + inFlight);
  }, 60_000);
});
