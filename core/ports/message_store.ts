/**
 * Messages with their status history, written together with the events they cause
 * (transactional outbox, SPEC.md §4 "Durability").
 *
 * @module
 */
import type { Message, MessageStatusChange, StoredEvent } from "../domain.ts";
import type { MessageEventSpec } from "../message_event.ts";
import type { HistoryNote } from "../message_history_note.ts";
import type { Page, PageRequest } from "./page.ts";

/**
 * One delivery of an event: its id, its webhook, and, when the writing instance's worker
 * takes it straight from the write (no claim), the end of that lease in ms since the epoch.
 */
export type OutboxDelivery = readonly [deliveryId: string, webhookId: string, leaseUntil?: number];

/** An event and the webhook ids it goes to (chosen by the union rule). */
export interface OutboxEvent {
  event: StoredEvent;
  /** One delivery per destination. */
  deliveries: ReadonlyArray<OutboxDelivery>;
}

/** Stores messages; every write that causes events writes them in the same transaction. */
export interface MessageStore {
  /** Inserts a message and its events with their deliveries, atomically. Resolves once durable. */
  saveMessage(message: Message, events: readonly OutboxEvent[]): Promise<void>;
  /**
   * Appends a status change unless the message already went through that status, atomically
   * with the event `event` describes (built by {@linkcode buildMessageEvent} from the updated
   * message, in the same transaction). Data, not a callback, so the write can run anywhere (a
   * writer thread, another round trip). Resolves true when the message changed, false when it
   * is unknown or already went through that status (then no event is written). Only a flag
   * comes back: every caller only asks whether it changed, and a whole message per delivered
   * report was a measurable share of the embedded store's cross-thread traffic.
   */
  updateMessageStatus(
    messageId: string,
    change: MessageStatusChange,
    event: MessageEventSpec | null,
  ): Promise<boolean>;
  /**
   * Appends a provider's note (e-mail delivery delayed) to the history, as `addHistoryNote`
   * decides, without changing the status or writing an event. Resolves true when it was added.
   */
  noteMessageHistory(messageId: string, note: HistoryNote): Promise<boolean>;
  getMessage(companyId: string, id: string): Promise<Message | null>;
  findMessageByProviderId(channelId: string, providerMessageId: string): Promise<Message | null>;
  listMessages(
    companyId: string,
    page: PageRequest & { channelId?: string },
  ): Promise<Page<Message>>;
}
