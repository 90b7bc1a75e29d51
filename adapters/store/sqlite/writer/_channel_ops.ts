/**
 * Write operations of the channel store. Configs arrive sealed (the SecretBox stays on the
 * main thread) and channels leave as rows, opened by the store.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, eq, isNull } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { CreditTake } from "../../../../core/ports/channel_store.ts";
import type { ChannelRow } from "../_rows.ts";
import { channels } from "../schema/channels.ts";

/** A channel row as inserted: its config already sealed. */
export type ChannelInsert = typeof channels.$inferInsert;

/** The channel writes on `db` (see {@linkcode createWriteOps}). */
export function channelOps(db: Database) {
  const orm = drizzle({ client: db });
  // NULL - n stays NULL: unlimited channels stay unlimited.
  const take: Statement<{ credits: number | null }, [string, number]> = db.prepare(
    `UPDATE channels SET credits = credits - ?2
     WHERE id = ?1 AND deleted_at IS NULL AND (credits IS NULL OR credits >= ?2)
     RETURNING credits`,
  );
  const balance: Statement<{ credits: number | null }, [string]> = db.prepare(
    "SELECT credits FROM channels WHERE id = ? AND deleted_at IS NULL",
  );
  const refund: Statement<unknown, [string, number]> = db.prepare(
    "UPDATE channels SET credits = credits + ?2 WHERE id = ?1",
  );
  const live = (companyId: string, id: string) =>
    and(eq(channels.companyId, companyId), eq(channels.id, id), isNull(channels.deletedAt));

  return {
    "channels.insert": (row: ChannelInsert): void => {
      orm.insert(channels).values(row).run();
    },
    /** Changes a live channel; returns its row afterwards, null when not live. */
    "channels.update": (
      companyId: string,
      id: string,
      set: Partial<ChannelInsert>,
    ): ChannelRow | null => {
      if (Object.keys(set).length > 0) {
        orm.update(channels).set(set).where(live(companyId, id)).run();
      }
      return orm.select().from(channels).where(live(companyId, id)).get() ?? null;
    },
    "channels.softDelete": (companyId: string, id: string, atMs: number): boolean =>
      orm
        .update(channels)
        .set({ deletedAt: atMs })
        .where(live(companyId, id))
        .returning({ id: channels.id })
        .all().length > 0,
    "channels.takeCredits": (channelId: string, cost: number): CreditTake => {
      const taken = take.get(channelId, cost);
      if (taken !== null) return { ok: true, remaining: taken.credits };
      const current = balance.get(channelId);
      if (current === null) return { ok: false, code: "CHANNEL_NOT_FOUND" };
      return { ok: false, code: "NO_CREDITS", balance: current.credits ?? 0 };
    },
    "channels.refundCredits": (channelId: string, cost: number): void => {
      refund.run(channelId, cost);
    },
  };
}
