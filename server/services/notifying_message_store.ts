/**
 * Wakes the delivery workers after every message write that may have added deliveries, so
 * events go out at once instead of at the next poll.
 *
 * @module
 */
import type { Message, MessageStatusChange } from "../../core/domain.ts";
import type { MessageEventSpec } from "../../core/message_event.ts";
import type { MessageStore, OutboxEvent } from "../../core/ports/message_store.ts";
import type { Page, PageRequest } from "../../core/ports/page.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";

export class NotifyingMessageStore implements MessageStore {
  readonly #store: MessageStore;
  readonly #signal: WorkSignal;

  constructor(store: MessageStore, signal: WorkSignal) {
    this.#store = store;
    this.#signal = signal;
  }

  async saveMessage(message: Message, events: readonly OutboxEvent[]): Promise<void> {
    await this.#store.saveMessage(message, events);
    if (events.some((e) => e.deliveries.length > 0)) this.#signal.notify();
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
