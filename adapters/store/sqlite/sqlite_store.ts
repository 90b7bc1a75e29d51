/**
 * The embedded store in one call: open, migrate, start the writer, and build every port.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import type { StorePorts } from "../../../core/ports/store_ports.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { SqliteChangeGenerations } from "./change_generations.ts";
import { SqliteChannelStore } from "./channel_store.ts";
import { SqliteCompanyStore } from "./company_store.ts";
import { SqliteContactWindowStore } from "./contact_window_store.ts";
import { SqliteDeliveryStore } from "./delivery_store.ts";
import { SqliteIdempotencyStore } from "./idempotency_store.ts";
import { SqliteIntegrationStore } from "./integration_store.ts";
import { SqliteMessageStore } from "./message_store.ts";
import { migrateSqlite } from "./migrate_sqlite.ts";
import { openSqlite } from "./open_sqlite.ts";
import { SqliteOperationsStore } from "./operations_store.ts";
import { SqliteOperatorAlertStore } from "./operator_alert_store.ts";
import { SqliteOpsStats } from "./ops_stats.ts";
import { SqliteSendQueue } from "./send_queue_store.ts";
import { SqliteSuppressionStore } from "./suppression_store.ts";
import { SqliteTokenStore } from "./token_store.ts";
import { InlineRunner } from "./writer/inline_runner.ts";
import { SqliteWriter, type WriteStats } from "./writer/sqlite_writer.ts";
import { ThreadRunner } from "./writer/thread_runner.ts";

/** Every storage port: reads on one connection, writes through one writer. */
export interface SqliteStore extends StorePorts {
  /** The port, plus `pruneExpired(now)` for periodic clean-up. */
  idempotency: SqliteIdempotencyStore;
  /** The reading connection, for health checks (`SELECT 1`) and adapter-level tools. */
  database: Database;
  /** Group-commit counters: how many transactions carried how many writes. */
  writeStats(): WriteStats;
  /** One `SELECT 1` (for `GET /ready`); rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Commits the writes still queued, ends the writer thread, then closes the connection. */
  close(): Promise<void>;
}

/** Options of {@linkcode createSqliteStore}. */
export interface SqliteStoreOptions {
  /** The database file (created with its directory when missing), or `:memory:`. */
  path: string;
  /** Seals channel configs, webhook bearer tokens and signing secrets. */
  secretBox: SecretBox;
  /** Receives failures of fire-and-forget writes (`touchTokenUse`); default `console.error`. */
  onError?: (error: unknown) => void;
  /** Apply pending migrations first; default `true`. */
  migrate?: boolean;
  /**
   * Where writes run: `"thread"`, a dedicated writer thread with its own connection (the
   * default for a file), or `"inline"`, this thread's connection (always for `:memory:`, which
   * another connection cannot share).
   */
  writer?: "thread" | "inline";
}

/**
 * Opens the SQLite file (WAL, `synchronous = FULL`), applies pending migrations, starts the
 * writer (by default a thread with its own connection to the file), and builds every store:
 * reads on this thread's connection, all writes through the one writer, so they share one
 * group commit and keep their call order across stores.
 *
 * @param options See {@linkcode SqliteStoreOptions}.
 * @returns The ports and `close()`.
 * @throws {Error} When the file cannot be opened or a migration fails. (A writer thread that
 *   cannot open the file rejects the writes.)
 *
 * @example
 * ```ts
 * const { key } = loadOrCreateSecretKey(dataDir, process.env.SENDEASY_SECRET_KEY);
 * const store = createSqliteStore({
 *   path: `${dataDir}/sendeasy.sqlite`,
 *   secretBox: await SecretBox.fromKey(key),
 * });
 * const match = await store.tokens.findTokenByHash(hash);
 * await store.close();
 * ```
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = openSqlite(options.path);
  try {
    if (options.migrate ?? true) migrateSqlite(db);
  } catch (error) {
    db.close();
    throw error;
  }
  const box = options.secretBox;
  const inline = options.writer === "inline" || isMemory(options.path);
  const writes = new SqliteWriter(inline ? new InlineRunner(db) : new ThreadRunner(options.path));
  let closing: Promise<void> | null = null;
  return {
    companies: new SqliteCompanyStore(db, writes),
    channels: new SqliteChannelStore(db, writes, box),
    integrations: new SqliteIntegrationStore(
      db,
      writes,
      box,
      options.onError === undefined ? {} : { onError: options.onError },
    ),
    tokens: new SqliteTokenStore(db, box),
    messages: new SqliteMessageStore(db, writes),
    sendQueue: new SqliteSendQueue(writes),
    deliveries: new SqliteDeliveryStore(db, writes, box),
    idempotency: new SqliteIdempotencyStore(writes),
    suppressions: new SqliteSuppressionStore(db, writes),
    contactWindows: new SqliteContactWindowStore(db, writes),
    generations: new SqliteChangeGenerations(db, writes),
    operatorAlerts: new SqliteOperatorAlertStore(writes),
    operations: new SqliteOperationsStore(writes),
    stats: new SqliteOpsStats(db),
    database: db,
    writeStats: () => writes.stats,
    ping: async () => {
      db.query("SELECT 1").get();
    },
    close: () => {
      closing ??= writes.close().finally(() => db.close());
      return closing;
    },
  };
}

/** Whether `path` names a database that lives only in this connection's memory. */
function isMemory(path: string): boolean {
  return (
    path === ":memory:" || path === "" || (path.startsWith("file:") && path.includes("mode=memory"))
  );
}
