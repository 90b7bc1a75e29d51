/**
 * The server's environment (SPEC.md §10), validated once at start with clear messages.
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
  /** How long a send may wait for its channel's turn before a 429 (README "Throughput…"). */
  sendQueueMs: number;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
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
    sendQueueMs: integer("SENDEASY_SEND_QUEUE_MS", 5_000, 0, 600_000),
    logLevel: logLevel as ServerEnv["logLevel"],
  };
  return problems.length === 0 ? { ok: true, env } : { ok: false, problems };
}
