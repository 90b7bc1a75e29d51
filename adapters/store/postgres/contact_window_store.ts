/**
 * {@linkcode ContactWindowStore} on Postgres.
 *
 * @module
 */
import { and, eq, sql } from "drizzle-orm";
import type { ContactWindowStore } from "../../../core/ports/contact_window_store.ts";
import type { PgRunner } from "./pg_runner.ts";
import { whatsappContacts } from "./schema/whatsapp_contacts.ts";

/**
 * The last inbound time of each WhatsApp contact, per channel, in Postgres.
 *
 * @example
 * ```ts
 * const windows = new PostgresContactWindowStore(runner);
 * await windows.recordInbound("ch_…", "5511999999999", new Date());
 * ```
 */
export class PostgresContactWindowStore implements ContactWindowStore {
  readonly #db: PgRunner;

  /** @param db The pool of a migrated database, with its retry policy. */
  constructor(db: PgRunner) {
    this.#db = db;
  }

  async recordInbound(channelId: string, contact: string, at: Date): Promise<void> {
    // Keeping the later time makes the upsert idempotent, so a dropped connection may retry it.
    await this.#db.write(
      (db) =>
        db
          .insert(whatsappContacts)
          .values({ channelId, contact, lastInboundAt: at })
          .onConflictDoUpdate({
            target: [whatsappContacts.channelId, whatsappContacts.contact],
            set: {
              lastInboundAt: sql`greatest(${whatsappContacts.lastInboundAt}, excluded.last_inbound_at)`,
            },
          }),
      { idempotent: true },
    );
  }

  async lastInboundAt(channelId: string, contact: string): Promise<Date | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select({ at: whatsappContacts.lastInboundAt })
        .from(whatsappContacts)
        .where(
          and(eq(whatsappContacts.channelId, channelId), eq(whatsappContacts.contact, contact)),
        ),
    );
    return row === undefined ? null : row.at;
  }
}
