/**
 * The embedded SQLite store (docs/configuration.md#server): every storage port
 * on `bun:sqlite` with drizzle, secrets sealed at rest, writes group-committed on a dedicated
 * writer thread (or inline, for `:memory:`).
 *
 * @example
 * ```ts
 * import { createSqliteStore } from "./adapters/store/sqlite/mod.ts";
 * const store = createSqliteStore({ path: "./data/sendeasy.sqlite", secretBox });
 * ```
 *
 * @module
 */
export { SqliteChannelStore } from "./channel_store.ts";
export { SqliteCompanyStore } from "./company_store.ts";
export { SqliteDeliveryStore } from "./delivery_store.ts";
export { SqliteIdempotencyStore } from "./idempotency_store.ts";
export { SqliteIntegrationStore } from "./integration_store.ts";
export { SqliteMessageStore } from "./message_store.ts";
export { migrateSqlite, SQLITE_MIGRATIONS_FOLDER } from "./migrate_sqlite.ts";
export { BUSY_TIMEOUT_MS, openSqlite } from "./open_sqlite.ts";
export { createSqliteStore, type SqliteStore, type SqliteStoreOptions } from "./sqlite_store.ts";
export { SqliteTokenStore } from "./token_store.ts";
export { type BatchResult, SqliteBatch, type WriteOutcome } from "./writer/batch.ts";
export { InlineRunner } from "./writer/inline_runner.ts";
export { type BatchRunner, SqliteWriter, type WriteStats } from "./writer/sqlite_writer.ts";
export { ThreadRunner } from "./writer/thread_runner.ts";
export { createWriteOps, type WriteOpName, type WriteOps } from "./writer/write_ops.ts";
