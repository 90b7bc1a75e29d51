/**
 * When a failed webhook delivery is tried again, and when a failing webhook is switched off
 * (docs/api.md#webhooks, after Svix's schedule).
 *
 * @module
 */

/**
 * Seconds between the tries of a failing delivery: retries 5 s, 5 min, 30 min, 2 h, 5 h,
 * 10 h and 10 h after the previous one (Svix's schedule), so a delivery is tried 8 times over
 * about 28 hours.
 *
 * @example
 * ```ts
 * DEFAULT_RETRY_SCHEDULE_SECONDS.length; // 7
 * DEFAULT_RETRY_SCHEDULE_SECONDS.reduce((sum, seconds) => sum + seconds) / 3600; // 27.5847…
 * ```
 */
export const DEFAULT_RETRY_SCHEDULE_SECONDS: readonly number[] = Object.freeze([
  5, 300, 1800, 7200, 18000, 36000, 36000,
]);

/** docs/api.md#webhooks: a webhook whose deliveries all failed for 5 days is disabled. */
export const DEFAULT_FAILING_WINDOW_MS: number = 5 * 24 * 60 * 60 * 1000;

/** Outcome of {@linkcode parseRetrySchedule}. */
export type ParseRetryScheduleResult =
  | { ok: true; schedule: number[] }
  | { ok: false; message: string };

/** Options of {@linkcode nextRetryDelay}. */
export interface NextRetryDelayOptions {
  /** Seconds to wait before each retry (see {@linkcode DEFAULT_RETRY_SCHEDULE_SECONDS}). */
  schedule: readonly number[];
  /** A uniform source in [0, 1) for the jitter. */
  random: () => number;
  /** The failed attempt's `Retry-After`, in seconds (see {@linkcode parseRetryAfter}). */
  retryAfterSeconds?: number;
  /** The failed attempt's HTTP status; absent for timeouts and network errors. */
  status?: number;
}

/** Options of {@linkcode disableDecision}. */
export interface DisableDecisionOptions {
  /** HTTP status of the attempt that just finished; absent for timeouts and network errors. */
  status?: number;
  /** Time (ms) of the first failure not followed by any success; `null` when not failing. */
  failingSince: number | null;
  /** Current time in ms. */
  now: number;
  /** How long a webhook may fail before it is disabled. Default 5 days. */
  failingWindowMs?: number;
}

/** Statuses after which a receiver's `Retry-After` is honoured (docs/api.md#webhooks: throttling). */
const THROTTLING_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);
const JITTER = 0.2;
const DECIMAL_SECONDS = /^(?:\d+(?:\.\d+)?|\.\d+)$/;

/**
 * Parses a retry schedule such as `SENDEASY_WEBHOOK_RETRY_SCHEDULE`: comma-separated positive
 * seconds (decimals allowed, so tests can shorten it), spaces around entries ignored.
 *
 * @param text The schedule, e.g. `"5,300,1800"`.
 * @returns `{ ok: true, schedule }`, or `{ ok: false, message }` naming the first bad entry.
 * @example
 * ```ts
 * parseRetrySchedule("0.05, 0.1");  // { ok: true, schedule: [0.05, 0.1] }
 * parseRetrySchedule("5,,300").ok;  // false
 * ```
 */
export function parseRetrySchedule(text: string): ParseRetryScheduleResult {
  if (text.trim() === "") {
    return { ok: false, message: "Cannot parse retry schedule: it is empty" };
  }
  const schedule: number[] = [];
  for (const [index, raw] of text.split(",").entries()) {
    const entry = raw.trim();
    const seconds = Number(entry);
    if (!DECIMAL_SECONDS.test(entry) || !Number.isFinite(seconds) || seconds <= 0) {
      return {
        ok: false,
        message: `Cannot parse retry schedule "${text}": entry ${index + 1} ("${entry}") is not a positive number of seconds`,
      };
    }
    schedule.push(seconds);
  }
  return { ok: true, schedule };
}

/**
 * The wait before the next attempt of a delivery, in milliseconds, or `null` when the schedule
 * is exhausted and the delivery has failed.
 *
 * The scheduled delay gets ±20 % jitter. After a 429, 502, 503 or 504 carrying `Retry-After`,
 * the wait is at least `Retry-After` but never more than twice the scheduled delay.
 *
 * @param attempt Attempts made so far (1 after the first try).
 * @param options The schedule, the jitter source, and the failed attempt's status and `Retry-After`.
 * @returns Milliseconds to wait (not rounded, so short test schedules keep their bounds), or
 * `null` after `schedule.length` retries.
 * @throws {RangeError} When `attempt` is not a positive integer.
 * @example
 * ```ts
 * nextRetryDelay(1, { schedule: DEFAULT_RETRY_SCHEDULE_SECONDS, random: () => 0.5 }); // 5000
 * nextRetryDelay(8, { schedule: DEFAULT_RETRY_SCHEDULE_SECONDS, random: Math.random }); // null
 * nextRetryDelay(2, { schedule: [300], random: () => 0.5 }); // null
 * ```
 */
export function nextRetryDelay(attempt: number, options: NextRetryDelayOptions): number | null {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new RangeError(`Cannot schedule a retry: attempt ${attempt} is not a positive integer`);
  }
  const scheduledSeconds = options.schedule[attempt - 1];
  if (scheduledSeconds === undefined) return null;
  const scheduledMs = scheduledSeconds * 1000;
  const jittered = scheduledMs * (1 - JITTER + 2 * JITTER * options.random());
  const { retryAfterSeconds, status } = options;
  if (retryAfterSeconds === undefined || status === undefined || !THROTTLING_STATUSES.has(status)) {
    return jittered;
  }
  // docs/api.md#webhooks: Retry-After is honoured, clamped to at most twice the scheduled delay.
  return Math.min(Math.max(jittered, retryAfterSeconds * 1000), 2 * scheduledMs);
}

/**
 * Reads a `Retry-After` header: delta-seconds (`"120"`) or an HTTP-date
 * (`"Wed, 21 Oct 2015 07:28:00 GMT"`, counted from `nowMs`, a past date giving 0).
 *
 * @param header The header value, `null` when absent.
 * @param nowMs Current time in ms, to turn a date into seconds.
 * @returns Whole seconds to wait, or `undefined` when absent or unreadable.
 * @example
 * ```ts
 * parseRetryAfter("120", Date.now()); // 120
 * parseRetryAfter("Thu, 01 Jan 1970 00:01:00 GMT", 0); // 60
 * parseRetryAfter("soon", Date.now()); // undefined
 * ```
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  // An HTTP-date always names a weekday or month; requiring a letter keeps Date.parse from
  // reading bare numbers such as "-5" or "1.5" as years.
  if (!/[A-Za-z]/.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/**
 * Whether a webhook should now be disabled by the server: `"gone"` at once after a 410
 * (Standard Webhooks), `"failing"` once its deliveries have all failed for the failing window
 * (5 days by default), else `null`.
 *
 * @param options The last status, since when the webhook fails, the time and the window.
 * @returns The `DisabledReason` to record, or `null` to keep the webhook enabled.
 * @example
 * ```ts
 * disableDecision({ status: 410, failingSince: null, now: 0 }); // "gone"
 * disableDecision({ status: 500, failingSince: 0, now: DEFAULT_FAILING_WINDOW_MS }); // "failing"
 * disableDecision({ status: 500, failingSince: 0, now: 1000 }); // null
 * ```
 */
export function disableDecision(options: DisableDecisionOptions): "gone" | "failing" | null {
  if (options.status === 410) return "gone";
  const windowMs = options.failingWindowMs ?? DEFAULT_FAILING_WINDOW_MS;
  if (options.failingSince !== null && options.now - options.failingSince >= windowMs) {
    return "failing";
  }
  return null;
}
