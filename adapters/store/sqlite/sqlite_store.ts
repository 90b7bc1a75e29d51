/**
 * The embedded store in one call: open, migrate, and build every port on one connection.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import type { ChannelStore } from "../../../core/ports/channel_store.ts";
import type { CompanyStore } from "../../../core/ports/company_store.ts";
import type { DeliveryStore } from "../../../core/ports/delivery_store.ts";
import type { IntegrationStore } from "../../../core/ports/integration_store.ts";
import type { MessageStore } from "../../../core/ports/message_store.ts";
import type { TokenStore } from "../../../core/ports/token_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { SqliteChannelStore } from "./channel_store.ts";
import { SqliteCompanyStore } from "./company_store.ts";
import { SqliteDeliveryStore } from "./delivery_store.ts";
import { GroupCommit, type GroupCommitStats } from "./group_commit.ts";
import { SqliteIdempotencyStore } from "./idempotency_store.ts";
import { SqliteIntegrationStore } from "./integration_store.ts";
import { SqliteMessageStore } from "./message_store.ts";
import { migrateSqlite } from "./migrate_sqlite.ts";
import { openSqlite } from "./open_sqlite.ts";
import { SqliteTokenStore } from "./token_store.ts";

/** Every storage port, on one SQLite connection. */
export interface SqliteStore {
  companies: CompanyStore;
  channels: ChannelStore;
  integrations: IntegrationStore;
  tokens: TokenStore;
  messages: MessageStore;
  /** The webhook outbox: claims, settles, attempt log. */
  deliveries: DeliveryStore;
  /** The port, plus `pruneExpired(now)` for periodic clean-up. */
  idempotency: SqliteIdempotencyStore;
  /** The connection, for health checks (`SELECT 1`) and adapter-level tools. */
  database: Database;
  /** Group-commit counters: how many transactions carried how many writes. */
  writeStats(): GroupCommitStats;
  /** One `SELECT 1` (for `GET /ready`); rejects when the database cannot answer. */
  ping(): Promise<void>;
  /** Commits the writes still queued, then closes the connection. */
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
}

/**
 * Opens the SQLite file (WAL, `synchronous = FULL`), applies pending migrations, and builds
 * every store on that one connection, so all writes share one group commit.
 *
 * @param options See {@linkcode SqliteStoreOptions}.
 * @returns The ports and `close()`.
 * @throws {Error} When the file cannot be opened or a migration fails.
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
  const writes = GroupCommit.for(db);
  let closed = false;
  return {
    companies: new SqliteCompanyStore(db),
    channels: new SqliteChannelStore(db, box),
    integrations: new SqliteIntegrationStore(
      db,
      box,
      options.onError === undefined ? {} : { onError: options.onError },
    ),
    tokens: new SqliteTokenStore(db, box),
    messages: new SqliteMessageStore(db),
    deliveries: new SqliteDeliveryStore(db, box),
    idempotency: new SqliteIdempotencyStore(db),
    database: db,
    writeStats: () => writes.stats,
    ping: async () => {
      db.query("SELECT 1").get();
    },
    close: () => {
      if (!closed) {
        closed = true;
        writes.close();
        db.close();
      }
      return Promise.resolve();
    },
  };
}
