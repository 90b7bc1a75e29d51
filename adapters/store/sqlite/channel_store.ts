/**
 * {@linkcode ChannelStore} on SQLite, provider config sealed with the SecretBox.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { Channel, ConfigValue } from "../../../core/domain.ts";
import type { ChannelPatch, ChannelStore, CreditTake } from "../../../core/ports/channel_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { memoizeOpen } from "../../crypto/opened_memo.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { openChannelConfig, sealConfig } from "../_sealed.ts";
import { type ChannelRow, channelFromRow, channelWithConfig } from "./_rows.ts";
import { channels } from "./schema/channels.ts";
import type { ChannelInsert } from "./writer/_channel_ops.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * Channels in SQLite. Credit takes and refunds go through the store's writer, so a burst of
 * sends shares one transaction, and each take is one conditional UPDATE: never below zero.
 * Configs are sealed here, before the write, and opened here after it.
 *
 * @example
 * ```ts
 * const store = new SqliteChannelStore(db, writes, await SecretBox.fromKey(key));
 * const take = await store.takeCredits("ch_…", 2);
 * ```
 */
export class SqliteChannelStore implements ChannelStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #box: SecretBox;
  readonly #writes: SqliteWriter;
  // The status path reads a channel per event: prepared once, not rebuilt per call.
  readonly #getAny;
  readonly #byId;
  /** Opened configs by sealed text: the same channel is opened over and over on hot paths. */
  readonly #openConfig: (sealed: string) => Record<string, ConfigValue>;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer (writes, in call order across stores).
   * @param box Seals and opens the `config` column.
   */
  constructor(db: Database, writes: SqliteWriter, box: SecretBox) {
    this.#orm = drizzle({ client: db });
    this.#box = box;
    this.#openConfig = memoizeOpen((sealed) => openChannelConfig(sealed, box));
    this.#writes = writes;
    const byCompanyAndId = and(
      eq(channels.companyId, sql.placeholder("companyId")),
      eq(channels.id, sql.placeholder("id")),
    );
    this.#getAny = this.#orm.select().from(channels).where(byCompanyAndId).prepare();
    this.#byId = this.#orm
      .select()
      .from(channels)
      .where(eq(channels.id, sql.placeholder("id")))
      .prepare();
  }

  createChannel(channel: Channel): Promise<void> {
    const row: ChannelInsert = {
      id: channel.id,
      companyId: channel.companyId,
      type: channel.type,
      provider: channel.provider,
      name: channel.name,
      address: channel.address,
      configSealed: sealConfig(channel.config, this.#box),
      credits: channel.credits,
      createdAt: channel.createdAt.getTime(),
      deletedAt: channel.deletedAt === null ? null : channel.deletedAt.getTime(),
    };
    return this.#writes.write("channels.insert", [row]);
  }

  getChannel(companyId: string, id: string): Promise<Channel | null> {
    return Promise.resolve(this.#get(companyId, id));
  }

  listChannels(companyId: string, page: PageRequest): Promise<Page<Channel>> {
    const rows = this.#orm
      .select()
      .from(channels)
      .where(
        and(
          eq(channels.companyId, companyId),
          isNull(channels.deletedAt),
          page.cursor === undefined ? undefined : lt(channels.id, page.cursor),
        ),
      )
      .orderBy(desc(channels.id))
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(
      toPage(
        rows.map((row) => channelFromRow(row, this.#box)),
        page,
      ),
    );
  }

  /** Changes a live channel; a soft-deleted or another company's channel gives null. */
  async updateChannel(companyId: string, id: string, patch: ChannelPatch): Promise<Channel | null> {
    const set: Partial<ChannelInsert> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.address !== undefined) set.address = patch.address;
    if (patch.config !== undefined) {
      set.configSealed = sealConfig(patch.config, this.#box);
    }
    if (patch.credits !== undefined) set.credits = patch.credits;
    const row = await this.#writes.write("channels.update", [companyId, id, set]);
    return row === null ? null : this.#channelOf(row);
  }

  softDeleteChannel(companyId: string, id: string, at: Date): Promise<boolean> {
    return this.#writes.write("channels.softDelete", [companyId, id, at.getTime()]);
  }

  /**
   * Takes `cost` credits in one conditional UPDATE. A soft-deleted channel is not found.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  takeCredits(channelId: string, cost: number): Promise<CreditTake> {
    const invalid = costError(cost);
    if (invalid !== null) return Promise.reject(invalid);
    return this.#writes.write("channels.takeCredits", [channelId, cost]);
  }

  /**
   * Gives `cost` credits back; unlimited channels stay unlimited.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  refundCredits(channelId: string, cost: number): Promise<void> {
    const invalid = costError(cost);
    if (invalid !== null) return Promise.reject(invalid);
    return this.#writes.write("channels.refundCredits", [channelId, cost]);
  }

  findChannelById(id: string): Promise<Channel | null> {
    return Promise.resolve(this.#channelOf(this.#byId.get({ id })));
  }

  #get(companyId: string, id: string): Channel | null {
    return this.#channelOf(this.#getAny.get({ companyId, id }));
  }

  /** The channel of a row, its config opened once per sealed text. */
  #channelOf(row: ChannelRow | undefined): Channel | null {
    if (row === undefined) return null;
    // Each caller gets its own copy: the remembered config is never handed out.
    return channelWithConfig(row, { ...this.#openConfig(row.configSealed) });
  }
}

function costError(cost: number): RangeError | null {
  return Number.isSafeInteger(cost) && cost >= 0
    ? null
    : new RangeError(`Cannot move ${cost} credits: the amount must be an integer ≥ 0`);
}
