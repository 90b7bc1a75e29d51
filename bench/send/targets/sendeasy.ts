/**
 * The system under test: the real Sendeasy server (`startServer`) on the backend the harness
 * provisioned (`bench/_backend.ts`: SQLite in a fresh temp data dir, or Postgres + Redis), logs
 * silent, with one sandbox SMS channel and one custom integration whose rate limit is
 * effectively off (`perSecond: 1e9, burst: 1e9`). Announces `{url, token}` for the harness;
 * `stats` adds the store's write counters (`storeWrites`: the SQLite writer's transactions, or the
 * Postgres message batcher's statements). Run by `bench/send.ts` as its
 * own process (optionally under `bun --cpu-prof`).
 *
 * With `BENCH_SENDEASY_SETUP=none` (the second instance on a shared database) it creates
 * nothing and announces `token: null`: the harness uses the first instance's token.
 *
 * With `BENCH_SENDEASY_CHANNEL=email-smtp` it creates e-mail channels instead: one on the
 * sandbox and two on the SMTP relay at `127.0.0.1:$BENCH_SMTP_PORT` (a pool of 5 connections,
 * the default, and one of 16), and announces a token for each as `tokens`. Private addresses are
 * allowed then, since the relay is on loopback.
 *
 * @module
 */
import { startServer } from "../../../server/app.ts";
import { announceAndServe, backendEnv } from "../../shared/control.ts";

type WithWriteStats = { writeStats?: () => unknown };
const ADMIN_KEY = "bench-operator-key-0123456789abcdef";
const toStderr = (line: string): void => {
  process.stderr.write(line.endsWith("\n") ? line : `${line}\n`);
};

const server = await startServer(
  {
    ...backendEnv(),
    PORT: "0",
    HOST: "127.0.0.1",
    SENDEASY_LOG_LEVEL: "silent",
    SENDEASY_ADMIN_KEY: ADMIN_KEY,
    ...(process.env.BENCH_SENDEASY_CHANNEL !== undefined
      ? { SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" }
      : {}),
  },
  { print: toStderr, logWrite: toStderr },
);

async function admin(path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}/api/admin${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_KEY}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201)
    throw new Error(`admin ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

/** The sandbox channel and the integration whose token the load uses. */
async function setUp(): Promise<string> {
  const channel = await admin("/channels", {
    type: "sms",
    provider: "sandbox",
    name: "bench",
    address: "+5511933334444",
  });
  const integration = await admin("/integrations", {
    kind: "custom",
    name: "bench",
    channelId: channel.id,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  });
  return String(integration.token);
}

/** A token for an e-mail channel of `provider` with `config`, rate limit effectively off. */
async function emailToken(provider: string, config: Record<string, unknown>): Promise<string> {
  const channel = await admin("/channels", {
    type: "email",
    provider,
    name: `bench ${provider}`,
    address: "orders@shop.example",
    config,
  });
  const integration = await admin("/integrations", {
    kind: "custom",
    name: `bench ${provider}`,
    channelId: channel.id,
    rateLimit: { perSecond: 1e9, burst: 1e9 },
  });
  return String(integration.token);
}

async function setUpEmail(): Promise<Record<string, string>> {
  const relay = { host: "127.0.0.1", port: Number(process.env.BENCH_SMTP_PORT), security: "none" };
  return {
    sandbox: await emailToken("sandbox", {}),
    smtp: await emailToken("smtp", relay),
    smtp16: await emailToken("smtp", { ...relay, maxConnections: 16 }),
  };
}

const email = process.env.BENCH_SENDEASY_CHANNEL === "email-smtp";
// The drain measure: a Resend channel on a fake that answers at once, paced far above its rate.
const resendUrl =
  process.env.BENCH_SENDEASY_CHANNEL === "resend-fake" ? process.env.BENCH_RESEND_URL : undefined;
const token =
  process.env.BENCH_SENDEASY_SETUP === "none" || email
    ? null
    : resendUrl !== undefined
      ? await emailToken("resend", { apiKey: "re_bench", baseUrl: resendUrl, maxPerSecond: 10_000 })
      : await setUp();
const tokens = email ? await setUpEmail() : null;

await announceAndServe(
  { url: server.url, token, ...(tokens === null ? {} : { tokens }) },
  {
    // Write counters, when the store has them (both stores do; the `Store` port does not say).
    stats: () => ({ storeWrites: (server.store as WithWriteStats).writeStats?.() ?? null }),
    close: () => server.stop(),
  },
);
