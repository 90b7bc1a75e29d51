/**
 * {@linkcode SuppressionStore} on SQLite: writes through the store's writer (each change with
 * its event in one transaction), reads on the main connection.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { ChannelType, Suppression } from "../../../core/domain.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import type {
  SuppressionAdded,
  SuppressionFilter,
  SuppressionStore,
} from "../../../core/ports/suppression_store.ts";
import type { SuppressionEventSpec } from "../../../core/suppression_event.ts";
import { fetchSize, toPage } from "../_page.ts";
import { selectList } from "./_statements.ts";
import { type SuppressionRow, suppressionFromRow, suppressionRow } from "./_suppression_row.ts";
import { suppressions } from "./schema/suppressions.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * Suppressions in SQLite.
 *
 * @example
 * ```ts
 * const store = new SqliteSuppressionStore(db, writes);
 * const { added } = await store.addSuppression(suppression, eventSpec);
 * ```
 */
export class SqliteSuppressionStore implements SuppressionStore {
  readonly #db: Database;
  readonly #writes: SqliteWriter;
  readonly #byId: Statement<SuppressionRow, [string, string]>;
  readonly #columns: string;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer.
   */
  constructor(db: Database, writes: SqliteWriter) {
    this.#db = db;
    this.#writes = writes;
    this.#columns = selectList(suppressions);
    this.#byId = db.prepare(
      `SELECT ${this.#columns} FROM suppressions WHERE company_id = ? AND id = ?`,
    );
  }

  async addSuppression(
    suppression: Suppression,
    event: SuppressionEventSpec | null,
  ): Promise<SuppressionAdded> {
    const { added, row } = await this.#writes.write("suppressions.add", [
      suppressionRow(suppression),
      event,
    ]);
    return { added, suppression: suppressionFromRow(row) };
  }

  async removeSuppression(
    companyId: string,
    id: string,
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null> {
    const row = await this.#writes.write("suppressions.remove", [companyId, id, event]);
    return row === null ? null : suppressionFromRow(row);
  }

  async removeSuppressionOf(
    companyId: string,
    target: { channelType: ChannelType; address: string },
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null> {
    const row = await this.#writes.write("suppressions.removeOf", [
      companyId,
      target.channelType,
      target.address,
      event,
    ]);
    return row === null ? null : suppressionFromRow(row);
  }

  findSuppressions(
    companyId: string,
    channelType: ChannelType,
    addresses: readonly string[],
  ): Promise<Suppression[]> {
    if (addresses.length === 0) return Promise.resolve([]);
    const marks = addresses.map(() => "?").join(", ");
    const rows = this.#db
      .query<SuppressionRow, string[]>(
        `SELECT ${this.#columns} FROM suppressions
         WHERE company_id = ? AND channel_type = ? AND address IN (${marks})`,
      )
      .all(companyId, channelType, ...addresses);
    return Promise.resolve(rows.map(suppressionFromRow));
  }

  getSuppression(companyId: string, id: string): Promise<Suppression | null> {
    const row = this.#byId.get(companyId, id);
    return Promise.resolve(row === null ? null : suppressionFromRow(row));
  }

  listSuppressions(
    companyId: string,
    page: PageRequest & SuppressionFilter,
  ): Promise<Page<Suppression>> {
    const where = ["company_id = ?"];
    const params: (string | number)[] = [companyId];
    if (page.channelType !== undefined) {
      where.push("channel_type = ?");
      params.push(page.channelType);
    }
    if (page.address !== undefined) {
      where.push("address = ?");
      params.push(page.address);
    }
    if (page.cursor !== undefined) {
      where.push("id < ?");
      params.push(page.cursor);
    }
    params.push(fetchSize(page));
    const rows = this.#db
      .query<SuppressionRow, (string | number)[]>(
        `SELECT ${this.#columns} FROM suppressions WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params);
    return Promise.resolve(toPage(rows.map(suppressionFromRow), page));
  }
}
