/**
 * Channels: one WhatsApp instance, Email mailbox or SMS number each.
 *
 * @module
 */
import type { Channel, ConfigValue } from "../domain.ts";
import type { Page, PageRequest } from "./page.ts";

/** The result of taking credits from a channel in one atomic step. */
export type CreditTake =
  | { ok: true; remaining: number | null }
  | { ok: false; code: "NO_CREDITS"; balance: number }
  | { ok: false; code: "CHANNEL_NOT_FOUND" };

/** Fields of a channel that an admin may change. */
export interface ChannelPatch {
  name?: string;
  address?: string;
  config?: Record<string, ConfigValue>;
  credits?: number | null;
}

/** Stores channels; provider config is encrypted at rest by the adapter. */
export interface ChannelStore {
  createChannel(channel: Channel): Promise<void>;
  /** A channel of this company, soft-deleted ones included (`deletedAt` set). */
  getChannel(companyId: string, id: string): Promise<Channel | null>;
  /**
   * A channel by id alone, in whichever company holds it (soft-deleted ones included): provider
   * callbacks name only the channel.
   */
  findChannelById(id: string): Promise<Channel | null>;
  /** Live channels of a company, newest first. */
  listChannels(companyId: string, page: PageRequest): Promise<Page<Channel>>;
  updateChannel(companyId: string, id: string, patch: ChannelPatch): Promise<Channel | null>;
  /** Marks the channel deleted; returns false when there was no live channel. */
  softDeleteChannel(companyId: string, id: string, at: Date): Promise<boolean>;
  /** Takes `cost` credits atomically; unlimited channels (`credits: null`) always succeed. */
  takeCredits(channelId: string, cost: number): Promise<CreditTake>;
  /** Gives back credits taken for a send the provider refused. */
  refundCredits(channelId: string, cost: number): Promise<void>;
}
