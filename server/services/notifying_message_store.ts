/**
 * Wakes the delivery workers after every message write that may have added deliveries, so
 * events go out at once instead of at the next poll; with a handoff, a saved message's
 * deliveries go to this instance's worker straight from the write.
 *
 * @module
 */
import type { Message, MessageStatusChange } from "../../core/domain.ts";
import type { MessageEventSpec } from "../../core/message_event.ts";
import type { HistoryNote } from "../../core/message_history_note.ts";
import type { MessageStore, OutboxEvent } from "../../core/ports/message_store.ts";
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
    if (this.#handoff === null) {
      await this.#store.saveMessage(message, events);
      if (events.some((e) => e.deliveries.length > 0)) this.#signal.notify();
      return;
    }
    const prepared = await this.#handoff.prepare(message.companyId, events);
    try {
      await this.#store.saveMessage(message, prepared.events);
    } catch (error) {
      prepared.settle(false);
      throw error;
    }
    prepared.settle(true);
    // Deliveries this worker took need no wake-up; the others wait for a claim.
    if (prepared.unleased > 0) this.#signal.notify();
  }

  async updateMessageStatus(
    messageId: string,
    change: MessageStatusChange,
    event: MessageEventSpec | null,
  ): Promise<boolean> {
    const changed = await this.#store.updateMessageStatus(messageId, change, event);
    // The event (and its deliveries) was written only when the message changed.
    if (changed && (event?.deliveries.length ?? 0) > 0) this.#signal.notify();
    return changed;
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
