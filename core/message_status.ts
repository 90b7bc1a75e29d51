/**
 * The one rule for a message's status (README "Message statuses"): statuses only move
 * forward. Rank: `queued` < `sent` < `delivered` < `read`. `failed` may follow `queued` or
 * `sent` on every channel, and on email also `delivered` or `read` (a late bounce or a
 * complaint); nothing follows `failed`; `received` is inbound only. A report that does not
 * move the message forward is kept in its history as not applied and changes nothing else.
 *
 * Both stores apply it inside the write that changes the message, one report at a time, so
 * concurrent reports cannot race and their order of arrival does not matter.
 *
 * @module
 */
import type { ChannelType, Message, MessageStatus, MessageStatusChange } from "./domain.ts";

/** The rank of each status a report can move a message along. */
const RANK: Readonly<Record<Exclude<MessageStatus, "failed" | "received">, number>> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
};

/**
 * Whether a message in `current` may move to `next`.
 *
 * @param current The message's status now.
 * @param next The reported status.
 * @param channelType The message's channel type: only email may fail after delivery.
 * @returns true when `next` moves the message forward.
 *
 * @example
 * ```ts
 * canFollow("sent", "delivered", "sms"); // true
 * canFollow("read", "delivered", "sms"); // false: backwards
 * canFollow("delivered", "failed", "sms"); // false
 * canFollow("read", "failed", "email"); // true: a late bounce
 * canFollow("failed", "delivered", "email"); // false: nothing follows a failure
 * ```
 */
export function canFollow(
  current: MessageStatus,
  next: MessageStatus,
  channelType: ChannelType,
): boolean {
  if (current === "failed" || current === "received" || next === "received") return false;
  if (next === "failed") {
    return current === "queued" || current === "sent" || channelType === "email";
  }
  return RANK[next] > RANK[current];
}

/** A reported status: the change itself, and for a failure what went wrong. */
export interface StatusReport {
  status: MessageStatus;
  at: Date;
  /** Provider error code or short reason, kept in the history. */
  reason?: string;
  /**
   * For `failed`, the message's `error` (default: `reason` as the code, and a sentence
   * saying the provider reported the failure).
   */
  error?: { code: string; message: string };
}

/** What a report did to a message. */
export interface StatusOutcome {
  /** Whether the report moved the message (and so emits its event). */
  applied: boolean;
  /** The message with the report in its history: applied, or marked `applied: false`. */
  message: Message;
}

/**
 * Applies one report to a message by {@linkcode canFollow}. Pure: the input is not changed.
 *
 * @param message The message as stored.
 * @param report The reported status.
 * @returns The message with the report appended to its history, at the report's time or the
 *   last entry's, whichever is later. When applied, the status, `updatedAt` and, for a failure,
 *   `error` change too; otherwise only the history does (the entry carries `applied: false`).
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const sent: Message; // a message whose status is "sent"
 * declare const read: Message; // a message whose status is "read"
 * const at = new Date("2025-06-01T12:00:00Z");
 * applyStatusChange(sent, { status: "delivered", at }).applied; // true
 * applyStatusChange(read, { status: "delivered", at }).message.history.at(-1);
 * // { status: "delivered", at, applied: false }
 * ```
 */
export function applyStatusChange(message: Message, report: StatusReport): StatusOutcome {
  // The history stays in time order: a report that waited, or lost a race to a later one,
  // counts from when it is applied.
  const last = message.history.at(-1)?.at ?? message.updatedAt;
  const at = report.at.getTime() >= last.getTime() ? report.at : last;
  const entry: MessageStatusChange = { status: report.status, at };
  if (report.reason !== undefined) entry.reason = report.reason;
  if (!canFollow(message.status, report.status, message.channelType)) {
    entry.applied = false;
    return { applied: false, message: { ...message, history: [...message.history, entry] } };
  }
  const updated: Message = {
    ...message,
    status: report.status,
    history: [...message.history, entry],
    updatedAt: at,
  };
  if (report.status === "failed") updated.error = failureOf(message, report);
  return { applied: true, message: updated };
}

/**
 * Whether `status` was already applied to the message: a report of our own (the sandbox's)
 * repeated after a restart or by another instance is then no news at all.
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const delivered: Message; // a message whose status is "delivered"
 * alreadyApplied(delivered, "delivered"); // true
 * ```
 */
export function alreadyApplied(message: Message, status: MessageStatus): boolean {
  return (
    message.status === status ||
    message.history.some((entry) => entry.status === status && entry.applied !== false)
  );
}

function failureOf(message: Message, report: StatusReport): { code: string; message: string } {
  if (report.error !== undefined) return { ...report.error };
  return {
    code: report.reason ?? "failed",
    message: `${message.provider} reported the message as failed`,
  };
}
