/**
 * Throwaway Postgres databases for the Postgres store tests: one fresh database per test
 * file, emptied between tests, dropped at the end.
 *
 * @module
 */

import { randomBytes } from "node:crypto";
import { SQL } from "bun";
import { SecretBox } from "../../adapters/crypto/secret_box.ts";
import {
  APPLICATION_NAME,
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "../../adapters/store/postgres/mod.ts";
import type { Delivery, EventType, StoredEvent } from "../../core/domain.ts";
import type { StoreHarness, StoreInspector } from "../contracts/store_contract.ts";

/** The maintenance connection: creates and drops the test databases. */
export const POSTGRES_ADMIN_URL: string =
  process.env.SENDEASY_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export const TEST_KEY: string = randomBytes(32).toString("base64");

/** Whether a server answers at {@linkcode POSTGRES_ADMIN_URL}, and why not. */
export async function probePostgres(): Promise<{ ok: true } | { ok: false; reason: string }> {
  const admin = adminClient();
  try {
    await admin`SELECT 1`;
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await admin.close();
  }
}

/** A connection to the maintenance database (one connection, short timeouts). */
export function adminClient(): SQL {
  const url = new URL(POSTGRES_ADMIN_URL);
  return new SQL({
    url: POSTGRES_ADMIN_URL,
    database: decodeURIComponent(url.pathname.slice(1)),
    max: 1,
    connectionTimeout: 3,
  });
}

/** Every table of the schema, each after the tables that reference it. */
const TABLES_CHILDREN_FIRST = [
  "delivery_attempts",
  "deliveries",
  "events",
  "status_reports",
  "messages",
  "suppressions",
  "whatsapp_contacts",
  "tokens",
  "idempotency_records",
  "admin_sessions",
  "admin_keys",
  "integrations",
  "channels",
  "companies",
  "change_generations",
  "operator_alerts",
  "job_leases",
];

/** A database made for one test file. */
export interface TestDatabase {
  name: string;
  url: string;
  /**
   * Ends the store's sessions on the database (`application_name` "sendeasy"), as a Postgres
   * restart would; returns how many.
   */
  terminateSessions(): Promise<number>;
  /** How many of the store's sessions wait for a lock now. */
  lockedOutSessions(): Promise<number>;
  /** Empties every table (between tests). */
  truncate(): Promise<void>;
  /** Drops the database and closes the maintenance connection. */
  drop(): Promise<void>;
}

/** Creates `sendeasy_test_<random>` and returns how to reach and remove it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const admin = adminClient();
  const name = `sendeasy_test_${randomBytes(6).toString("hex")}`;
  await admin.unsafe(`CREATE DATABASE "${name}"`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  let local: SQL | undefined;
  const own = () => {
    local ??= new SQL({ url: url.toString(), database: name, max: 1 });
    return local;
  };
  return {
    name,
    url: url.toString(),
    terminateSessions: async () => {
      const rows = await admin`
        SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
        WHERE datname = ${name} AND application_name = ${APPLICATION_NAME}`;
      return rows.filter((r: { done: boolean }) => r.done).length;
    },
    lockedOutSessions: async () => {
      const [row] = await admin`
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = ${name} AND application_name = ${APPLICATION_NAME}
          AND wait_event_type = 'Lock'`;
      return (row as { n: number }).n;
    },
    truncate: async () => {
      // DELETE, children first: on tables this small it is far quicker than TRUNCATE, which
      // swaps every table's files.
      await own().begin(async (tx) => {
        for (const table of TABLES_CHILDREN_FIRST) await tx.unsafe(`DELETE FROM "${table}"`);
      });
    },
    drop: async () => {
      await local?.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** A store on `db` (migrated on first use). */
export async function openTestStore(
  db: TestDatabase,
  options: Partial<PostgresStoreOptions> = {},
): Promise<PostgresStore> {
  return createPostgresStore({
    url: db.url,
    secretBox: await SecretBox.fromKey(TEST_KEY),
    ...options,
  });
}

/**
 * A contract harness on `db`: emptied tables, a new store (its own pool), and an inspector
 * reading through a connection of its own.
 */
export async function makePostgresHarness(
  db: TestDatabase,
): Promise<StoreHarness & { store: PostgresStore }> {
  const store = await openTestStore(db);
  await db.truncate();
  const reader = new SQL({ url: db.url, database: db.name, max: 1 });
  return {
    store,
    inspect: postgresInspector(reader),
    cleanup: async () => {
      await store.close();
      await reader.close();
    },
  };
}

/** Reads the outbox tables through `reader`: only what was committed is seen. */
export function postgresInspector(reader: SQL): StoreInspector {
  return {
    count: async (table) => {
      const [row] = await reader.unsafe(`SELECT count(*)::int AS n FROM ${table}`);
      return (row as { n: number }).n;
    },
    eventsOf: async (messageId) => {
      const rows: EventRow[] = await reader`
        SELECT * FROM events WHERE message_id = ${messageId} ORDER BY id`;
      return rows.map(eventFromRow);
    },
    deliveriesOf: async (eventId) => {
      const rows: DeliveryRow[] = await reader`
        SELECT * FROM deliveries WHERE event_id = ${eventId} ORDER BY id`;
      return rows.map(deliveryFromRow);
    },
  };
}

interface EventRow {
  id: string;
  company_id: string;
  channel_id: string | null;
  type: string;
  message_id: string | null;
  payload: string;
  created_at: Date;
}

function eventFromRow(row: EventRow): StoredEvent {
  return {
    id: row.id,
    companyId: row.company_id,
    channelId: row.channel_id,
    type: row.type as EventType,
    messageId: row.message_id,
    payload: row.payload,
    createdAt: row.created_at,
  };
}

interface DeliveryRow {
  id: string;
  company_id: string;
  event_id: string;
  webhook_id: string;
  status: Delivery["status"];
  attempts: number;
  next_attempt_at: Date | null;
  lease_until: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Date;
  updated_at: Date;
}

function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    companyId: row.company_id,
    eventId: row.event_id,
    webhookId: row.webhook_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    leaseUntil: row.lease_until,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
