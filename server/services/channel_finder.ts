/**
 * Finds a channel by id alone. Provider callbacks arrive at `/hooks/<provider>/<channelId>`
 * with no company in sight, while the channel port looks channels up per company.
 *
 * @module
 */
import type { Channel } from "../../core/domain.ts";
import type { ChannelStore } from "../../core/ports/channel_store.ts";
import type { CompanyStore } from "../../core/ports/company_store.ts";

/** Looks a channel up by its id, in whichever company holds it. */
export type FindChannel = (channelId: string) => Promise<Channel | null>;

const PAGE = 100;

/**
 * A finder over the ports alone, so it works on every store: it asks each company in turn.
 * One query per company, fine for a self-hosted install with a handful of companies; a
 * `ChannelStore` lookup by id would make it one query (the store port does not have it yet).
 *
 * @param companies the company store
 * @param channels the channel store
 * @returns the finder
 */
export function channelFinder(companies: CompanyStore, channels: ChannelStore): FindChannel {
  return async (channelId) => {
    if (!channelId.startsWith("ch_")) return null;
    let cursor: string | undefined;
    do {
      const page = await companies.listCompanies(
        cursor === undefined ? { limit: PAGE } : { limit: PAGE, cursor },
      );
      for (const company of page.data) {
        const channel = await channels.getChannel(company.id, channelId);
        if (channel !== null) return channel;
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return null;
  };
}
