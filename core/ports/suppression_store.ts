/**
 * Suppression lists (README "Suppressions"): per company and channel type, the addresses not
 * to message, each change written with its `recipient.*` event in one transaction.
 *
 * @module
 */
import type { ChannelType, Suppression } from "../domain.ts";
import type { SuppressionEventSpec } from "../suppression_event.ts";
import type { Page, PageRequest } from "./page.ts";

/** What adding a suppression did: added it, or found the address already on the list. */
export interface SuppressionAdded {
  added: boolean;
  /** The suppression on the list now: the new one, or the one already there. */
  suppression: Suppression;
}

/** Filters of a suppression listing. */
export interface SuppressionFilter {
  channelType?: ChannelType;
  /** The address in its stored form (see `suppressionAddress`). */
  address?: string;
}

/** Stores suppressions; addresses are given in their stored form. */
export interface SuppressionStore {
  /**
   * Adds `suppression` unless its address is already on its company's list for its channel
   * type (then nothing changes). The event is built from the added suppression and written in
   * the same transaction, only when it was added.
   */
  addSuppression(
    suppression: Suppression,
    event: SuppressionEventSpec | null,
  ): Promise<SuppressionAdded>;
  /** Removes a suppression by id, with its event; null when the company has no such one. */
  removeSuppression(
    companyId: string,
    id: string,
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null>;
  /** Removes the suppression of an address (an inbound START), with its event; null if none. */
  removeSuppressionOf(
    companyId: string,
    target: { channelType: ChannelType; address: string },
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null>;
  /** The suppressions of a company's channel type among `addresses` (one read). */
  findSuppressions(
    companyId: string,
    channelType: ChannelType,
    addresses: readonly string[],
  ): Promise<Suppression[]>;
  getSuppression(companyId: string, id: string): Promise<Suppression | null>;
  /** A company's suppressions, newest first. */
  listSuppressions(
    companyId: string,
    page: PageRequest & SuppressionFilter,
  ): Promise<Page<Suppression>>;
}
