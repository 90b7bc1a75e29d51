/**
 * A provider's note about a message that is not a status change: Resend's
 * `email.delivery_delayed` (the receiving server deferred it; Resend keeps trying). It joins
 * the message's history under the status the message has, changes nothing else, and emits no
 * event.
 *
 * @module
 */
import type { Message } from "./domain.ts";

/** A note: when, and what (the provider's word, e.g. `delivery_delayed`). */
export interface HistoryNote {
  at: Date;
  reason: string;
}

/**
 * The message with `note` appended to its history, or null when it changes nothing: the
 * message already holds a note with that reason (a repeated callback), or it is past `sent`
 * (a late note about a message since delivered, read or failed).
 *
 * @param message The message as stored.
 * @param note The note.
 * @returns A new message whose history ends with `{ status, at, reason }`; or null.
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const sent: Message; // a message whose status is "sent"
 * const at = new Date();
 * addHistoryNote(sent, { at, reason: "delivery_delayed" })?.history.at(-1);
 * // { status: "sent", at, reason: "delivery_delayed" }
 * ```
 */
export function addHistoryNote(message: Message, note: HistoryNote): Message | null {
  if (message.status !== "sent" && message.status !== "queued") return null;
  if (message.history.some((entry) => entry.reason === note.reason)) return null;
  return {
    ...message,
    history: [...message.history, { status: message.status, at: note.at, reason: note.reason }],
    updatedAt: note.at,
  };
}
