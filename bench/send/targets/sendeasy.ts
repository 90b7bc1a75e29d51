/**
 * Process: the real Sendeasy server under load, with its channel and token made at start
 * (bench/README.md#send).
 *
 * @module
 */
import { startServer } from "../../../server/app.ts";
import { ADMIN_KEY, adminPost } from "../../shared/admin_api.ts";
import { announceAndServe, backendEnv } from "../../shared/control.ts";

type WithWriteStats = { writeStats?: () => unknown };
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

const admin = (path: string, body: unknown) => adminPost(server.url, ADMIN_KEY, path, body);

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
  // Paced far above what it reaches (SMTP's default pace is 10/s): the bench measures the relay path.
  const relay = {
    host: "127.0.0.1",
    port: Number(process.env.BENCH_SMTP_PORT),
    security: "none",
    maxPerSecond: 10_000,
  };
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
