/**
 * The Postgres store (docs/configuration.md `DATABASE_URL`): every storage port on Bun's built-in SQL
 * client with drizzle, for several Sendeasy instances sharing one database. Secrets are sealed
 * at rest as in SQLite; transient connection failures are retried where that is safe.
 *
 * @example
 * ```ts
 * import { createPostgresStore } from "./adapters/store/postgres/mod.ts";
 * const store = await createPostgresStore({ url: process.env.DATABASE_URL!, secretBox });
 * ```
 *
 * @module
 */
export { PostgresChannelStore } from "./channel_store.ts";
export { PostgresCompanyStore } from "./company_store.ts";
export { PostgresDeliveryStore } from "./delivery_store.ts";
export { PostgresIdempotencyStore } from "./idempotency_store.ts";
export { PostgresIntegrationStore } from "./integration_store.ts";
export { MessageBatcher, type MessageBatcherStats } from "./message_batcher.ts";
export { PostgresMessageStore } from "./message_store.ts";
export { migratePostgres, POSTGRES_MIGRATIONS_FOLDER } from "./migrate_postgres.ts";
export { APPLICATION_NAME, DEFAULT_POOL_SIZE, openPostgres } from "./open_postgres.ts";
export {
  AmbiguousCommitError,
  type PgExecutor,
  PgRunner,
  type PgTx,
  type RetryOptions,
} from "./pg_runner.ts";
export {
  createPostgresStore,
  type PostgresStore,
  type PostgresStoreOptions,
} from "./postgres_store.ts";
export { PostgresTokenStore } from "./token_store.ts";
