/**
 * {@linkcode SuppressionStore} on Postgres: each change and its `recipient.*` event in one
 * transaction; the unique key on company, channel type and address makes concurrent adds of
 * one address (several instances, a STOP and a 21610 at once) add it once.
 *
 * @module
 */
import { and, desc, eq, inArray, lt } from "drizzle-orm";
import type { ChannelType, Suppression } from "../../../core/domain.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import type {
  SuppressionAdded,
  SuppressionFilter,
  SuppressionStore,
} from "../../../core/ports/suppression_store.ts";
import {
  buildSuppressionEvent,
  type SuppressionEventSpec,
} from "../../../core/suppression_event.ts";
import { fetchSize, toPage } from "../_page.ts";
import { insertOutboxRows, outboxRows } from "./_outbox.ts";
import type { PgExecutor, PgRunner } from "./pg_runner.ts";
import { suppressions } from "./schema/suppressions.ts";

type SuppressionRow = typeof suppressions.$inferSelect;

/**
 * Suppressions in Postgres.
 *
 * @example
 * ```ts
 * const store = new PostgresSuppressionStore(runner);
 * const { added } = await store.addSuppression(suppression, eventSpec);
 * ```
 */
export class PostgresSuppressionStore implements SuppressionStore {
  readonly #db: PgRunner;

  /** @param db The pool of a migrated database, with its retry policy. */
  constructor(db: PgRunner) {
    this.#db = db;
  }

  addSuppression(
    suppression: Suppression,
    event: SuppressionEventSpec | null,
  ): Promise<SuppressionAdded> {
    return this.#db.transaction(async (tx) => {
      const [inserted] = await tx
        .insert(suppressions)
        .values({ ...suppression })
        .onConflictDoNothing({
          target: [suppressions.companyId, suppressions.channelType, suppressions.address],
        })
        .returning();
      if (inserted !== undefined) {
        await announce(tx, inserted, event);
        return { added: true, suppression: fromRow(inserted) };
      }
      const [existing] = await tx
        .select()
        .from(suppressions)
        .where(
          and(
            eq(suppressions.companyId, suppression.companyId),
            eq(suppressions.channelType, suppression.channelType),
            eq(suppressions.address, suppression.address),
          ),
        );
      // READ COMMITTED: a row removed between the two statements leaves nothing to find;
      // throwing lets the runner run the transaction again.
      if (existing === undefined) throw new RetryableConflict(suppression.id);
      return { added: false, suppression: fromRow(existing) };
    });
  }

  removeSuppression(
    companyId: string,
    id: string,
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null> {
    return this.#remove(and(eq(suppressions.companyId, companyId), eq(suppressions.id, id)), event);
  }

  removeSuppressionOf(
    companyId: string,
    target: { channelType: ChannelType; address: string },
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null> {
    return this.#remove(
      and(
        eq(suppressions.companyId, companyId),
        eq(suppressions.channelType, target.channelType),
        eq(suppressions.address, target.address),
      ),
      event,
    );
  }

  async findSuppressions(
    companyId: string,
    channelType: ChannelType,
    addresses: readonly string[],
  ): Promise<Suppression[]> {
    if (addresses.length === 0) return [];
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(suppressions)
        .where(
          and(
            eq(suppressions.companyId, companyId),
            eq(suppressions.channelType, channelType),
            inArray(suppressions.address, [...addresses]),
          ),
        ),
    );
    return rows.map(fromRow);
  }

  async getSuppression(companyId: string, id: string): Promise<Suppression | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select()
        .from(suppressions)
        .where(and(eq(suppressions.companyId, companyId), eq(suppressions.id, id))),
    );
    return row === undefined ? null : fromRow(row);
  }

  async listSuppressions(
    companyId: string,
    page: PageRequest & SuppressionFilter,
  ): Promise<Page<Suppression>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(suppressions)
        .where(
          and(
            eq(suppressions.companyId, companyId),
            page.channelType === undefined
              ? undefined
              : eq(suppressions.channelType, page.channelType),
            page.address === undefined ? undefined : eq(suppressions.address, page.address),
            page.cursor === undefined ? undefined : lt(suppressions.id, page.cursor),
          ),
        )
        .orderBy(desc(suppressions.id))
        .limit(fetchSize(page)),
    );
    return toPage(rows.map(fromRow), page);
  }

  #remove(
    where: ReturnType<typeof and>,
    event: SuppressionEventSpec | null,
  ): Promise<Suppression | null> {
    return this.#db.transaction(async (tx) => {
      const [removed] = await tx.delete(suppressions).where(where).returning();
      if (removed === undefined) return null;
      await announce(tx, removed, event);
      return fromRow(removed);
    });
  }
}

/** A conflict whose row vanished before it could be read: the transaction is run again. */
class RetryableConflict extends Error {
  /** Postgres' serialization_failure, which the runner retries. */
  readonly errno = "40001";
  constructor(id: string) {
    super(`Suppression "${id}" conflicted with a row removed meanwhile`);
  }
}

async function announce(
  tx: PgExecutor,
  row: SuppressionRow,
  event: SuppressionEventSpec | null,
): Promise<void> {
  if (event === null) return;
  await insertOutboxRows(tx, outboxRows([buildSuppressionEvent(fromRow(row), event)]));
}

function fromRow(row: SuppressionRow): Suppression {
  return {
    id: row.id,
    companyId: row.companyId,
    channelType: row.channelType,
    address: row.address,
    reason: row.reason,
    messageId: row.messageId,
    createdAt: row.createdAt,
  };
}
