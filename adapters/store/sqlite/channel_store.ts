/**
 * {@linkcode ChannelStore} on SQLite, provider config sealed with the SecretBox.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { Channel } from "../../../core/domain.ts";
import type { ChannelPatch, ChannelStore, CreditTake } from "../../../core/ports/channel_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { type ChannelRow, channelFromRow, channelWithConfig, openChannelConfig } from "./_rows.ts";
import { GroupCommit } from "./group_commit.ts";
import { channels } from "./schema/channels.ts";

/**
 * Channels in SQLite. Credit takes and refunds go through the group commit, so a burst of
 * sends shares one transaction, and each take is one conditional UPDATE: never below zero.
 *
 * @example
 * ```ts
 * const store = new SqliteChannelStore(db, await SecretBox.fromKey(key));
 * const take = await store.takeCredits("ch_…", 2);
 * ```
 */
export class SqliteChannelStore implements ChannelStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #box: SecretBox;
  readonly #writes: GroupCommit;
  readonly #take: Statement<{ credits: number | null }, [string, number]>;
  readonly #balance: Statement<{ credits: number | null }, [string]>;
  readonly #refund: Statement<unknown, [string, number]>;
  // The status path reads a channel per event: prepared once, not rebuilt per call.
  readonly #getAny;
  readonly #getLive;
  readonly #byId;
  /** Opened configs by sealed text: the same channel is opened over and over on hot paths. */
  readonly #opened = new Map<string, Record<string, string>>();

  /**
   * @param db An open, migrated connection.
   * @param box Seals and opens the `config` column.
   */
  constructor(db: Database, box: SecretBox) {
    this.#orm = drizzle({ client: db });
    this.#box = box;
    this.#writes = GroupCommit.for(db);
    // NULL - n stays NULL: unlimited channels stay unlimited.
    this.#take = db.prepare(
      `UPDATE channels SET credits = credits - ?2
       WHERE id = ?1 AND deleted_at IS NULL AND (credits IS NULL OR credits >= ?2)
       RETURNING credits`,
    );
    this.#balance = db.prepare("SELECT credits FROM channels WHERE id = ? AND deleted_at IS NULL");
    this.#refund = db.prepare("UPDATE channels SET credits = credits + ?2 WHERE id = ?1");
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
    this.#getLive = this.#orm
      .select()
      .from(channels)
      .where(and(byCompanyAndId, isNull(channels.deletedAt)))
      .prepare();
  }

  createChannel(channel: Channel): Promise<void> {
    return this.#writes.write(() => {
      this.#orm
        .insert(channels)
        .values({
          id: channel.id,
          companyId: channel.companyId,
          type: channel.type,
          provider: channel.provider,
          name: channel.name,
          address: channel.address,
          configSealed: this.#box.encrypt(JSON.stringify(channel.config)),
          credits: channel.credits,
          createdAt: channel.createdAt.getTime(),
          deletedAt: channel.deletedAt === null ? null : channel.deletedAt.getTime(),
        })
        .run();
    });
  }

  getChannel(companyId: string, id: string): Promise<Channel | null> {
    return Promise.resolve(this.#get(companyId, id, { liveOnly: false }));
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
  updateChannel(companyId: string, id: string, patch: ChannelPatch): Promise<Channel | null> {
    return this.#writes.write(() => {
      const set: Partial<typeof channels.$inferInsert> = {};
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.address !== undefined) set.address = patch.address;
      if (patch.config !== undefined) {
        set.configSealed = this.#box.encrypt(JSON.stringify(patch.config));
      }
      if (patch.credits !== undefined) set.credits = patch.credits;
      if (Object.keys(set).length > 0) {
        this.#orm.update(channels).set(set).where(this.#live(companyId, id)).run();
      }
      return this.#get(companyId, id, { liveOnly: true });
    });
  }

  softDeleteChannel(companyId: string, id: string, at: Date): Promise<boolean> {
    return this.#writes.write(() => {
      const deleted = this.#orm
        .update(channels)
        .set({ deletedAt: at.getTime() })
        .where(this.#live(companyId, id))
        .returning({ id: channels.id })
        .all();
      return deleted.length > 0;
    });
  }

  /**
   * Takes `cost` credits in one conditional UPDATE. A soft-deleted channel is not found.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  takeCredits(channelId: string, cost: number): Promise<CreditTake> {
    const invalid = costError(cost);
    if (invalid !== null) return Promise.reject(invalid);
    return this.#writes.write((): CreditTake => {
      const taken = this.#take.get(channelId, cost);
      if (taken !== null) return { ok: true, remaining: taken.credits };
      const current = this.#balance.get(channelId);
      if (current === null) return { ok: false, code: "CHANNEL_NOT_FOUND" };
      return { ok: false, code: "NO_CREDITS", balance: current.credits ?? 0 };
    });
  }

  /**
   * Gives `cost` credits back; unlimited channels stay unlimited.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  refundCredits(channelId: string, cost: number): Promise<void> {
    const invalid = costError(cost);
    if (invalid !== null) return Promise.reject(invalid);
    return this.#writes.write(() => {
      this.#refund.run(channelId, cost);
    });
  }

  findChannelById(id: string): Promise<Channel | null> {
    return Promise.resolve(this.#channelOf(this.#byId.get({ id })));
  }

  #get(companyId: string, id: string, options: { liveOnly: boolean }): Channel | null {
    return this.#channelOf(
      (options.liveOnly ? this.#getLive : this.#getAny).get({ companyId, id }),
    );
  }

  /** The channel of a row, its config opened once per sealed text. */
  #channelOf(row: ChannelRow | undefined): Channel | null {
    if (row === undefined) return null;
    let config = this.#opened.get(row.configSealed);
    if (config === undefined) {
      config = openChannelConfig(row.configSealed, this.#box);
      if (this.#opened.size >= 1_000) this.#opened.clear();
      this.#opened.set(row.configSealed, config);
    }
    // Each caller gets its own copy: the cached config is never handed out.
    return channelWithConfig(row, { ...config });
  }

  #live(companyId: string, id: string) {
    return and(eq(channels.companyId, companyId), eq(channels.id, id), isNull(channels.deletedAt));
  }
}

function costError(cost: number): RangeError | null {
  return Number.isSafeInteger(cost) && cost >= 0
    ? null
    : new RangeError(`Cannot move ${cost} credits: the amount must be an integer ≥ 0`);
}
