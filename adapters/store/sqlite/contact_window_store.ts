/**
 * {@linkcode ContactWindowStore} on SQLite.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { ContactWindowStore } from "../../../core/ports/contact_window_store.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * The last inbound time of each WhatsApp contact, per channel, in SQLite.
 *
 * @example
 * ```ts
 * const windows = new SqliteContactWindowStore(db, writes);
 * await windows.recordInbound("ch_…", "5511999999999", new Date());
 * ```
 */
export class SqliteContactWindowStore implements ContactWindowStore {
  readonly #writes: SqliteWriter;
  readonly #last: Statement<{ at: number }, [string, string]>;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer.
   */
  constructor(db: Database, writes: SqliteWriter) {
    this.#writes = writes;
    this.#last = db.prepare(
      "SELECT last_inbound_at AS at FROM whatsapp_contacts WHERE channel_id = ? AND contact = ?",
    );
  }

  recordInbound(channelId: string, contact: string, at: Date): Promise<void> {
    return this.#writes.write("contacts.recordInbound", [channelId, contact, at.getTime()]);
  }

  lastInboundAt(channelId: string, contact: string): Promise<Date | null> {
    const row = this.#last.get(channelId, contact);
    return Promise.resolve(row === null ? null : new Date(row.at));
  }
}
