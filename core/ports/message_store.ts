/**
 * Messages with their status history, written together with the events they cause
 * (transactional outbox, docs/architecture.md#the-life-of-one-delivery).
 *
 * @module
 */
import type { Message, StoredEvent } from "../domain.ts";
import type { MessageEventSpec } from "../message_event.ts";
import type { HistoryNote } from "../message_history_note.ts";
import type { StatusReport } from "../message_status.ts";
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

/**
 * What the provider answered a send whose message was saved `queued` before the request left
 * (so a crash or a fast callback never finds the provider's message without a row).
 */
export type SendOutcome =
  | { ok: true; providerMessageId: string; at: Date }
  | { ok: false; error: { code: string; message: string }; at: Date };

/**
 * A status a provider reported in a callback, named by the provider's message id (the message
 * may not be written yet: the provider can call back before its answer to the send is).
 */
export interface ProviderReport {
  channelId: string;
  providerMessageId: string;
  /**
   * What makes this report one report (the provider's event id, or the status it reports):
   * a callback delivered several times has one key, and has one effect.
   */
  key: string;
  report: StatusReport;
  /** The event to write if the report applies; built from the updated message. */
  event: MessageEventSpec | null;
}

/**
 * What became of a provider report: `applied` (the message moved, its event is written),
 * `not_applied` (kept in the history only), `duplicate` (this report was already received:
 * nothing at all), or `waiting` (no message has that id yet: kept, and applied in the write
 * that gives a message that id).
 */
export type ProviderReportOutcome = "applied" | "not_applied" | "duplicate" | "waiting";

/**
 * What a status change of our own did: `applied`, `not_applied` (kept in the history),
 * `repeated` (that status was already applied: nothing at all), `unknown` (no such message).
 */
export type StatusChangeOutcome = "applied" | "not_applied" | "repeated" | "unknown";

/**
 * Stores messages; every write that causes events writes them in the same transaction, and
 * every status change goes through the one rule of `core/message_status.ts` inside that write.
 */
export interface MessageStore {
  /** Inserts a message and its events with their deliveries, atomically. Resolves once durable. */
  saveMessage(message: Message, events: readonly OutboxEvent[]): Promise<void>;
  /**
   * Inserts an inbound message and its events unless the channel already has an inbound
   * message with the same provider id (a provider that sent its callback more than once,
   * even at the same moment: a unique key decides). Resolves true when inserted.
   */
  receiveMessage(message: Message, events: readonly OutboxEvent[]): Promise<boolean>;
  /**
   * Applies a status of our own (the sandbox's report) by the status rule, atomically with the
   * event `event` describes (built by {@linkcode buildMessageEvent} from the updated message,
   * in the same transaction). Data, not a callback, so the write can run anywhere (a writer
   * thread, another round trip).
   */
  updateMessageStatus(
    messageId: string,
    report: StatusReport,
    event: MessageEventSpec | null,
  ): Promise<StatusChangeOutcome>;
  /**
   * Appends a provider's note (e-mail delivery delayed) to the history, as `addHistoryNote`
   * decides, without changing the status or writing an event. Resolves true when it was added.
   */
  noteMessageHistory(messageId: string, note: HistoryNote): Promise<boolean>;
  /**
   * Records the provider's answer to a send saved `queued`: `sent` with its id, or `failed`
   * with its error (and no credits spent), with `event`; in the same write, applies the
   * reports that arrived for that provider id before the answer did.
   *
   * @returns how many events were written (0 when the message is unknown)
   */
  recordSendOutcome(
    messageId: string,
    outcome: SendOutcome,
    event: MessageEventSpec | null,
  ): Promise<number>;
  /** Applies, keeps or waits with a provider's report, once per report key. */
  reportStatus(report: ProviderReport): Promise<ProviderReportOutcome>;
  getMessage(companyId: string, id: string): Promise<Message | null>;
  findMessageByProviderId(channelId: string, providerMessageId: string): Promise<Message | null>;
  listMessages(
    companyId: string,
    page: PageRequest & { channelId?: string },
  ): Promise<Page<Message>>;
  /**
   * Sandbox messages still `sent` that were created at or before `before`, oldest first:
   * the sandbox's report for each is still owed (durable scheduled work, README "The sandbox
   * provider").
   */
  listAwaitingSandboxReport(before: Date, limit: number): Promise<Message[]>;
}
