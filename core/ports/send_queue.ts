/**
 * Asynchronous sends (README "Throughput, retries, async and scheduled sends"): messages
 * stored `queued` with the time they are due at their provider, leased by one worker at a
 * time, retried later or finished through {@linkcode MessageStore.recordSendOutcome}. The queue
 * is the messages table itself: a queued message with a due time.
 *
 * @module
 */
import type { Message } from "../domain.ts";
import type { MessageEventSpec } from "../message_event.ts";

/** A queued send as a worker claimed it. */
export interface QueuedSend {
  message: Message;
  /** Attempts made before this one. */
  attempts: number;
  /** The provider idempotency key of every attempt. */
  sendKey: string;
  dueAt: Date;
}

/** What a cancellation did: `canceled`, `left` (at or past its provider: too late), `unknown`. */
export type CancelSendOutcome = "canceled" | "left" | "unknown";

export interface SendQueue {
  /** Stores `message` (status `queued`) as due at `dueAt`; resolves once durable. */
  enqueueSend(message: Message, options: { dueAt: Date; sendKey: string }): Promise<void>;
  /**
   * Leases up to `limit` sends due at `now` (and not leased, or whose lease ran out) until
   * `leaseUntil`, oldest due first; several workers never get the same send at once.
   */
  claimDueSends(now: Date, options: { leaseUntil: Date; limit: number }): Promise<QueuedSend[]>;
  /** Puts a claimed send back in the queue, due at `dueAt` after `attempts` attempts. */
  retrySendLater(messageId: string, options: { dueAt: Date; attempts: number }): Promise<void>;
  /**
   * Fails a queued send that no worker holds, with `error` (code `canceled`) and `event`, in
   * one write; a send already leased or finished has `left`.
   */
  cancelSend(
    companyId: string,
    messageId: string,
    options: {
      now: Date;
      error: { code: string; message: string };
      event: MessageEventSpec | null;
    },
  ): Promise<CancelSendOutcome>;
}
