/**
 * Builds SQLite stores on real files for the contract and the SQLite-only tests.
 *
 * @module
 */
import { Database } from "bun:sqlite";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { SecretBox } from "../../adapters/crypto/secret_box.ts";
import { createSqliteStore, type SqliteStore } from "../../adapters/store/sqlite/mod.ts";
import type { Delivery, EventType, StoredEvent } from "../../core/domain.ts";
import type { DeliveryHarness } from "../contracts/delivery_contract.ts";
import type { StoreHarness, StoreInspector } from "../contracts/store_contract.ts";

export const TEST_KEY: string = randomBytes(32).toString("base64");

let n = 0;

/**
 * A fresh store on a new file in `dir`, plus an inspector reading through its own connection.
 *
 * @param options.writer Where writes run (default the store's default: a writer thread).
 */
export async function makeSqliteHarness(
  dir: string,
  options: { writer?: "thread" | "inline" } = {},
): Promise<StoreHarness & DeliveryHarness & { store: SqliteStore; path: string }> {
  const path = join(dir, `store-${++n}.sqlite`);
  const secretBox = await SecretBox.fromKey(TEST_KEY);
  const store = createSqliteStore({ path, secretBox, ...options });
  return {
    store,
    path,
    inspect: sqliteInspector(path),
    // Another connection with its own group commit: what a second process holds.
    openSecond: () => {
      const second = createSqliteStore({ path, secretBox, ...options });
      return Promise.resolve({ store: second, close: () => second.close() });
    },
    cleanup: async () => {
      await store.close();
      for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
    },
  };
}

/** Opens the file anew for every read: only what was committed is seen. */
export function sqliteInspector(path: string): StoreInspector {
  const read = <T>(query: (db: Database) => T): Promise<T> => {
    const db = new Database(path, { readonly: true });
    try {
      return Promise.resolve(query(db));
    } finally {
      db.close();
    }
  };
  return {
    count: (table) =>
      read((db) => db.query<{ n: number }, []>(`SELECT count(*) AS n FROM ${table}`).get()?.n ?? 0),
    eventsOf: (messageId) =>
      read((db) =>
        db
          .query<EventRow, [string]>("SELECT * FROM events WHERE message_id = ? ORDER BY id")
          .all(messageId)
          .map(eventFromRow),
      ),
    deliveriesOf: (eventId) =>
      read((db) =>
        db
          .query<DeliveryRow, [string]>("SELECT * FROM deliveries WHERE event_id = ? ORDER BY id")
          .all(eventId)
          .map(deliveryFromRow),
      ),
  };
}

interface EventRow {
  id: string;
  company_id: string;
  channel_id: string | null;
  type: string;
  message_id: string | null;
  payload: string;
  created_at: number;
}

function eventFromRow(row: EventRow): StoredEvent {
  return {
    id: row.id,
    companyId: row.company_id,
    channelId: row.channel_id,
    type: row.type as EventType,
    messageId: row.message_id,
    payload: row.payload,
    createdAt: new Date(row.created_at),
  };
}

interface DeliveryRow {
  id: string;
  company_id: string;
  event_id: string;
  webhook_id: string;
  status: Delivery["status"];
  attempts: number;
  next_attempt_at: number | null;
  lease_until: number | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const dateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    companyId: row.company_id,
    eventId: row.event_id,
    webhookId: row.webhook_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: dateOrNull(row.next_attempt_at),
    leaseUntil: dateOrNull(row.lease_until),
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}
