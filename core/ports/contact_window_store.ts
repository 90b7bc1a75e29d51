/**
 * When each contact last wrote to each WhatsApp channel (README "The 24-hour window").
 *
 * @module
 */

/** Stores the time of each contact's last inbound message per channel. */
export interface ContactWindowStore {
  /**
   * Records an inbound message from `contact` (digits, no `+`) at `at`; an earlier time than
   * the one stored changes nothing (callbacks arrive out of order), so recording is idempotent.
   */
  recordInbound(channelId: string, contact: string, at: Date): Promise<void>;
  /** When `contact` last wrote to the channel; null if never. */
  lastInboundAt(channelId: string, contact: string): Promise<Date | null>;
}
