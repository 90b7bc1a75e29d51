/**
 * {@linkcode ChannelStore} on Postgres, provider config sealed with the SecretBox.
 *
 * @module
 */
import { and, desc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import type { Channel } from "../../../core/domain.ts";
import type { ChannelPatch, ChannelStore, CreditTake } from "../../../core/ports/channel_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { sealConfig } from "../_sealed.ts";
import { channelFromRow } from "./_rows.ts";
import type { PgRunner } from "./pg_runner.ts";
import { channels } from "./schema/channels.ts";

/**
 * Channels in Postgres. A credit take is one conditional `UPDATE … RETURNING`: the row lock
 * serializes concurrent takes on every instance, and Postgres re-checks the condition against
 * the latest balance after waiting, so the balance never goes below zero.
 *
 * @example
 * ```ts
 * const store = new PostgresChannelStore(runner, box);
 * const take = await store.takeCredits("ch_…", 2);
 * ```
 */
export class PostgresChannelStore implements ChannelStore {
  readonly #db: PgRunner;
  readonly #box: SecretBox;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param box Seals and opens the `config` column.
   */
  constructor(db: PgRunner, box: SecretBox) {
    this.#db = db;
    this.#box = box;
  }

  async createChannel(channel: Channel): Promise<void> {
    await this.#db.write((db) =>
      db.insert(channels).values({
        id: channel.id,
        companyId: channel.companyId,
        type: channel.type,
        provider: channel.provider,
        name: channel.name,
        address: channel.address,
        configSealed: sealConfig(channel.config, this.#box),
        credits: channel.credits,
        createdAt: channel.createdAt,
        deletedAt: channel.deletedAt,
      }),
    );
  }

  async getChannel(companyId: string, id: string): Promise<Channel | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(channels)
        .where(and(eq(channels.companyId, companyId), eq(channels.id, id))),
    );
    return row === undefined ? null : channelFromRow(row, this.#box);
  }

  async findChannelById(id: string): Promise<Channel | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(channels).where(eq(channels.id, id)),
    );
    return row === undefined ? null : channelFromRow(row, this.#box);
  }

  async listChannels(companyId: string, page: PageRequest): Promise<Page<Channel>> {
    const rows = await this.#db.read((db) =>
      db
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
        .limit(fetchSize(page)),
    );
    return toPage(
      rows.map((row) => channelFromRow(row, this.#box)),
      page,
    );
  }

  /** Changes a live channel; a soft-deleted or another company's channel gives null. */
  async updateChannel(companyId: string, id: string, patch: ChannelPatch): Promise<Channel | null> {
    const set: Partial<typeof channels.$inferInsert> = {};
    if (patch.name !== undefined) set.name = patch.name;
    if (patch.address !== undefined) set.address = patch.address;
    if (patch.config !== undefined) set.configSealed = sealConfig(patch.config, this.#box);
    if (patch.credits !== undefined) set.credits = patch.credits;
    if (Object.keys(set).length === 0) {
      const [row] = await this.#db.read((db) =>
        db.select().from(channels).where(this.#live(companyId, id)),
      );
      return row === undefined ? null : channelFromRow(row, this.#box);
    }
    const [row] = await this.#db.write(
      (db) => db.update(channels).set(set).where(this.#live(companyId, id)).returning(),
      // Setting fixed values twice ends as setting them once.
      { idempotent: true },
    );
    return row === undefined ? null : channelFromRow(row, this.#box);
  }

  async softDeleteChannel(companyId: string, id: string, at: Date): Promise<boolean> {
    const deleted = await this.#db.write((db) =>
      db
        .update(channels)
        .set({ deletedAt: at })
        .where(this.#live(companyId, id))
        .returning({ id: channels.id }),
    );
    return deleted.length > 0;
  }

  /**
   * Takes `cost` credits in one conditional UPDATE. A soft-deleted channel is not found.
   * Not retried once sent: a take whose answer was lost may have happened.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  async takeCredits(channelId: string, cost: number): Promise<CreditTake> {
    assertCost(cost);
    // NULL - n stays NULL: unlimited channels stay unlimited.
    const taken = await this.#db.write((db) =>
      db
        .update(channels)
        .set({ credits: sql`${channels.credits} - ${cost}` })
        .where(
          and(
            eq(channels.id, channelId),
            isNull(channels.deletedAt),
            or(isNull(channels.credits), gte(channels.credits, cost)),
          ),
        )
        .returning({ credits: channels.credits }),
    );
    const [row] = taken;
    if (row !== undefined) return { ok: true, remaining: row.credits };
    // A fresh statement, so a fresh snapshot: the balance that made the UPDATE skip the row.
    const [current] = await this.#db.read((db) =>
      db
        .select({ credits: channels.credits })
        .from(channels)
        .where(and(eq(channels.id, channelId), isNull(channels.deletedAt))),
    );
    if (current === undefined) return { ok: false, code: "CHANNEL_NOT_FOUND" };
    return { ok: false, code: "NO_CREDITS", balance: current.credits ?? 0 };
  }

  /**
   * Gives `cost` credits back; unlimited channels stay unlimited.
   *
   * @throws {RangeError} (rejects) When `cost` is not a non-negative integer.
   */
  async refundCredits(channelId: string, cost: number): Promise<void> {
    assertCost(cost);
    await this.#db.write((db) =>
      db
        .update(channels)
        .set({ credits: sql`${channels.credits} + ${cost}` })
        .where(eq(channels.id, channelId)),
    );
  }

  #live(companyId: string, id: string) {
    return and(eq(channels.companyId, companyId), eq(channels.id, id), isNull(channels.deletedAt));
  }
}

function assertCost(cost: number): void {
  if (!Number.isSafeInteger(cost) || cost < 0) {
    throw new RangeError(`Cannot move ${cost} credits: the amount must be an integer ≥ 0`);
  }
}
