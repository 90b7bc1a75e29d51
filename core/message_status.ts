/**
 * The rule for a provider's later word about a message (SPEC.md §4): a status is applied once.
 * A repeated callback, or a late one for a status the message already went through (a "sent"
 * after "delivered"), changes nothing and emits no event.
 *
 * @module
 */
import type { Message, MessageStatusChange } from "./domain.ts";

/**
 * The message after `change`, or null when it changes nothing.
 *
 * @param message The message as stored.
 * @param change The reported status and its time.
 * @returns A new message with the status, the change appended to its history and
 *   `updatedAt` set; or null when the message already has or had that status.
 *
 * @example
 * ```ts
 * import type { Message } from "./domain.ts";
 *
 * declare const sent: Message; // a message whose status is "sent"
 * const at = new Date("2025-06-01T12:00:00Z");
 * const delivered = applyStatusChange(sent, { status: "delivered", at }); // { ...sent, status: "delivered", … }
 * applyStatusChange(delivered!, { status: "sent", at }); // null: it went through "sent" already
 * ```
 */
export function applyStatusChange(message: Message, change: MessageStatusChange): Message | null {
  if (message.status === change.status) return null;
  if (message.history.some((entry) => entry.status === change.status)) return null;
  return {
    ...message,
    status: change.status,
    history: [...message.history, change],
    updatedAt: change.at,
  };
}
