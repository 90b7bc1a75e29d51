/**
 * Wakes the delivery workers after every message write that may have added deliveries, so
 * events go out at once instead of at the next poll; with a handoff, a saved message's
 * deliveries go to this instance's worker straight from the write.
 *
 * @module
 */
import type { Message } from "../../core/domain.ts";
import type { MessageEventSpec } from "../../core/message_event.ts";
import type { HistoryNote } from "../../core/message_history_note.ts";
import type { StatusReport } from "../../core/message_status.ts";
import type {
  MessageStore,
  OutboxEvent,
  ProviderReport,
  ProviderReportOutcome,
  SendOutcome,
  StatusChangeOutcome,
} from "../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../core/ports/page.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import type { DeliveryHandoff } from "../worker/handoff.ts";

export class NotifyingMessageStore implements MessageStore {
  readonly #store: MessageStore;
  readonly #signal: WorkSignal;
  readonly #handoff: DeliveryHandoff | null;

  /**
   * @param store the store written to
   * @param signal wakes the workers of every instance
   * @param handoff hands new deliveries to this instance's worker straight from the write
   */
  constructor(store: MessageStore, signal: WorkSignal, handoff: DeliveryHandoff | null = null) {
    this.#store = store;
    this.#signal = signal;
    this.#handoff = handoff;
  }

  async saveMessage(message: Message, events: readonly OutboxEvent[]): Promise<void> {
    await this.#insert(events, async (prepared) => {
      await this.#store.saveMessage(message, prepared);
      return true;
    });
  }

  receiveMessage(message: Message, events: readonly OutboxEvent[]): Promise<boolean> {
    return this.#insert(events, (prepared) => this.#store.receiveMessage(message, prepared));
  }

  async updateMessageStatus(
    messageId: string,
    report: StatusReport,
    event: MessageEventSpec | null,
  ): Promise<StatusChangeOutcome> {
    const outcome = await this.#store.updateMessageStatus(messageId, report, event);
    // The event (and its deliveries) was written only when the message changed.
    if (outcome === "applied" && (event?.deliveries.length ?? 0) > 0) this.#signal.notify();
    return outcome;
  }

  async recordSendOutcome(
    messageId: string,
    outcome: SendOutcome,
    event: MessageEventSpec | null,
  ): Promise<number> {
    const written = await this.#store.recordSendOutcome(messageId, outcome, event);
    if (written > 0) this.#signal.notify();
    return written;
  }

  async reportStatus(report: ProviderReport): Promise<ProviderReportOutcome> {
    const outcome = await this.#store.reportStatus(report);
    if (outcome === "applied" && (report.event?.deliveries.length ?? 0) > 0) this.#signal.notify();
    return outcome;
  }

  listAwaitingSandboxReport(before: Date, limit: number): Promise<Message[]> {
    return this.#store.listAwaitingSandboxReport(before, limit);
  }

  /**
   * Runs an insert with its events' deliveries handed to this instance's worker (when there is
   * a handoff); `write` answers whether the rows were written.
   */
  async #insert(
    events: readonly OutboxEvent[],
    write: (events: readonly OutboxEvent[]) => Promise<boolean>,
  ): Promise<boolean> {
    if (this.#handoff === null) {
      const written = await write(events);
      if (written && events.some((e) => e.deliveries.length > 0)) this.#signal.notify();
      return written;
    }
    const companyId = events[0]?.event.companyId;
    const prepared =
      companyId === undefined
        ? { events: [], unleased: 0, settle: () => undefined }
        : await this.#handoff.prepare(companyId, events);
    let written: boolean;
    try {
      written = await write(prepared.events);
    } catch (error) {
      prepared.settle(false);
      throw error;
    }
    prepared.settle(written);
    // Deliveries this worker took need no wake-up; the others wait for a claim.
    if (written && prepared.unleased > 0) this.#signal.notify();
    return written;
  }

  noteMessageHistory(messageId: string, note: HistoryNote): Promise<boolean> {
    return this.#store.noteMessageHistory(messageId, note);
  }

  getMessage(companyId: string, id: string): Promise<Message | null> {
    return this.#store.getMessage(companyId, id);
  }

  findMessageByProviderId(channelId: string, providerMessageId: string): Promise<Message | null> {
    return this.#store.findMessageByProviderId(channelId, providerMessageId);
  }

  listMessages(
    companyId: string,
    page: PageRequest & { channelId?: string },
  ): Promise<Page<Message>> {
    return this.#store.listMessages(companyId, page);
  }
}
