/**
 * The server's environment (docs/configuration.md), validated once at start with clear messages.
 *
 * @module
 */
import { DEFAULT_RETRY_SCHEDULE_SECONDS, parseRetrySchedule } from "../core/retry_schedule.ts";

/** Everything the server reads from the environment, parsed. */
export interface ServerEnv {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Prefix of every Redis key and channel, so several deployments can share one Redis. */
  redisPrefix: string;
  adminKey: string | null;
  secretKey: string | null;
  publicUrl: string;
  webhookRetrySchedule: number[];
  webhookTimeoutMs: number;
  allowPrivateWebhooks: boolean;
  providerTimeoutMs: number;
  /** Where operator alerts go (README "Operator alerts"), with the secret that signs them. */
  operatorWebhook: { url: string; secret: string } | null;
  /** Delete what is older than this many days (README "Retention"); null keeps everything. */
  retentionDays: number | null;
  /** How long a send may wait for its channel's turn before a 429 (README "Throughput…"). */
  sendQueueMs: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  /** `SENDEASY_METRICS_TOKEN`: the bearer of `GET /metrics`; null, no such route. */
  metricsToken: string | null;
}

export type EnvResult = { ok: true; env: ServerEnv } | { ok: false; problems: string[] };

type Source = Record<string, string | undefined>;

/**
 * Parses the environment; every problem is reported, not just the first.
 *
 * @param source usually `process.env`
 * @returns the parsed settings, or one sentence per bad variable
 * @example
 * const parsed = parseEnv({ PORT: "8080" });
 * if (parsed.ok) console.log(parsed.env.port); // 8080
 */
export function parseEnv(source: Source): EnvResult {
  const problems: string[] = [];
  const text = (name: string): string | null => {
    const value = source[name]?.trim();
    return value === undefined || value === "" ? null : value;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const value = text(name);
    if (value === null) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max}, got "${value}"`);
      return fallback;
    }
    return parsed;
  };
  const boolean = (name: string): boolean => {
    const value = text(name)?.toLowerCase() ?? "false";
    if (value === "true" || value === "1") return true;
    if (value !== "false" && value !== "0")
      problems.push(`${name} must be "true" or "false", got "${value}"`);
    return false;
  };

  const port = integer("PORT", 3000, 0, 65535);
  const adminKey = text("SENDEASY_ADMIN_KEY");
  if (adminKey !== null && adminKey.length < 16) {
    problems.push("SENDEASY_ADMIN_KEY must be at least 16 characters long");
  }
  const publicUrl = text("SENDEASY_PUBLIC_URL") ?? `http://localhost:${port}`;
  if (!URL.canParse(publicUrl))
    problems.push(`SENDEASY_PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);

  let webhookRetrySchedule = [...DEFAULT_RETRY_SCHEDULE_SECONDS];
  const schedule = text("SENDEASY_WEBHOOK_RETRY_SCHEDULE");
  if (schedule !== null) {
    const parsed = parseRetrySchedule(schedule);
    if (parsed.ok) webhookRetrySchedule = parsed.schedule;
    else problems.push(`SENDEASY_WEBHOOK_RETRY_SCHEDULE: ${parsed.message}`);
  }

  const logLevel = (text("SENDEASY_LOG_LEVEL") ?? "info").toLowerCase();
  if (!["debug", "info", "warn", "error", "silent"].includes(logLevel)) {
    problems.push(
      `SENDEASY_LOG_LEVEL must be one of debug, info, warn, error, silent, got "${logLevel}"`,
    );
  }

  const operatorWebhook = parseOperatorWebhook(
    text("SENDEASY_OPERATOR_WEBHOOK_URL"),
    text("SENDEASY_OPERATOR_WEBHOOK_SECRET"),
    problems,
  );
  const retentionDays =
    text("SENDEASY_RETENTION_DAYS") === null
      ? null
      : integer("SENDEASY_RETENTION_DAYS", 0, 1, 36_500);

  const env: ServerEnv = {
    port,
    host: text("HOST") ?? "0.0.0.0",
    dataDir: text("SENDEASY_DATA_DIR") ?? "./data",
    databaseUrl: text("DATABASE_URL"),
    redisUrl: text("REDIS_URL"),
    redisPrefix: text("SENDEASY_REDIS_PREFIX") ?? "sendeasy:",
    adminKey,
    secretKey: text("SENDEASY_SECRET_KEY"),
    publicUrl: publicUrl.replace(/\/+$/, ""),
    webhookRetrySchedule,
    webhookTimeoutMs: integer("SENDEASY_WEBHOOK_TIMEOUT_MS", 15_000, 1, 600_000),
    allowPrivateWebhooks: boolean("SENDEASY_ALLOW_PRIVATE_WEBHOOKS"),
    providerTimeoutMs: integer("SENDEASY_PROVIDER_TIMEOUT_MS", 10_000, 1, 600_000),
    operatorWebhook,
    retentionDays,
    sendQueueMs: integer("SENDEASY_SEND_QUEUE_MS", 5_000, 0, 600_000),
    logLevel: logLevel as ServerEnv["logLevel"],
    metricsToken: text("SENDEASY_METRICS_TOKEN"),
  };
  return problems.length === 0 ? { ok: true, env } : { ok: false, problems };
}

/** A Standard Webhooks secret: `whsec_` and the base64 of at least 24 bytes. */
const OPERATOR_SECRET = /^whsec_[A-Za-z0-9+/]{32,}={0,2}$/;

/** The operator webhook's URL and secret: both or neither. */
function parseOperatorWebhook(
  url: string | null,
  secret: string | null,
  problems: string[],
): ServerEnv["operatorWebhook"] {
  if (url === null) {
    if (secret !== null) {
      problems.push(
        "SENDEASY_OPERATOR_WEBHOOK_SECRET is set without SENDEASY_OPERATOR_WEBHOOK_URL",
      );
    }
    return null;
  }
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (parsed === null || (parsed.protocol !== "https:" && parsed.protocol !== "http:")) {
    problems.push(`SENDEASY_OPERATOR_WEBHOOK_URL must be an http(s) URL, got "${url}"`);
  }
  if (secret === null || !OPERATOR_SECRET.test(secret)) {
    problems.push(
      "SENDEASY_OPERATOR_WEBHOOK_SECRET must be set with SENDEASY_OPERATOR_WEBHOOK_URL: whsec_ and the base64 of 24 or more random bytes (e.g. `echo whsec_$(openssl rand -base64 32)`)",
    );
  }
  return { url, secret: secret ?? "" };
}
