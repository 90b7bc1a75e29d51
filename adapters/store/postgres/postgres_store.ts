/**
 * The Postgres store in one call: open the pool, migrate, and build every port on it.
 *
 * @module
 */
import { drizzle } from "drizzle-orm/bun-sql";
import type { StorePorts } from "../../../core/ports/store_ports.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { PostgresChangeGenerations } from "./change_generations.ts";
import { PostgresChannelStore } from "./channel_store.ts";
import { PostgresCompanyStore } from "./company_store.ts";
import { PostgresContactWindowStore } from "./contact_window_store.ts";
import { PostgresDeliveryStore } from "./delivery_store.ts";
import { PostgresIdempotencyStore } from "./idempotency_store.ts";
import { PostgresIntegrationStore } from "./integration_store.ts";
import type { MessageBatcherStats } from "./message_batcher.ts";
import { PostgresMessageStore } from "./message_store.ts";
import { migratePostgres } from "./migrate_postgres.ts";
import { openPostgres } from "./open_postgres.ts";
import { PostgresOperationsStore } from "./operations_store.ts";
import { PostgresOperatorAlertStore } from "./operator_alert_store.ts";
import { PostgresOpsStats } from "./ops_stats.ts";
import { PgRunner, type RetryOptions } from "./pg_runner.ts";
import { PostgresSendQueue } from "./send_queue_store.ts";
import { PostgresSuppressionStore } from "./suppression_store.ts";
import { PostgresTokenStore } from "./token_store.ts";

/** Every storage port, on one Postgres pool. */
export interface PostgresStore extends StorePorts {
  /** The port, plus group-commit counters and `drain()`. */
  messages: PostgresMessageStore;
  /** The port, plus `pruneExpired(now)` for periodic clean-up. */
  idempotency: PostgresIdempotencyStore;
  /** One `SELECT 1`, not retried (for `GET /ready`); rejects with the reason when unreachable. */
  ping(): Promise<void>;
  /** `saveMessage` group-commit counters: how many transactions carried how many saves. */
  writeStats(): MessageBatcherStats;
  /** How many transient failures were retried since start. */
  retries(): number;
  /** Waits for queued saves, then closes the pool. */
  close(): Promise<void>;
}

/** Options of {@linkcode createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` (`DATABASE_URL`). */
  url: string;
  /** Seals channel configs, webhook bearer tokens and signing secrets. */
  secretBox: SecretBox;
  /** Pool size; default 10. */
  max?: number;
  /** Retries of transient failures (see {@linkcode PgRunner}); defaults there. */
  retry?: RetryOptions;
  /** Group commit of `saveMessage`: saves per transaction (256) and transactions at once (4). */
  batching?: { maxBatch?: number; maxInFlight?: number };
  /** Receives failures of fire-and-forget writes (`touchTokenUse`); default `console.error`. */
  onError?: (error: unknown) => void;
  /** Apply pending migrations first; default `true`. */
  migrate?: boolean;
}

/**
 * Opens a pool on `url`, applies pending migrations (one instance at a time), and builds every
 * store on that pool.
 *
 * @param options See {@linkcode PostgresStoreOptions}.
 * @returns The ports, `ping()` and `close()`.
 * @throws {Error} (rejects) When the server cannot be reached (after the retries) or a
 *   migration fails; the pool is closed then.
 *
 * @example
 * ```ts
 * const store = await createPostgresStore({
 *   url: process.env.DATABASE_URL!,
 *   secretBox: await SecretBox.fromKey(key),
 * });
 * const match = await store.tokens.findTokenByHash(hash);
 * await store.close();
 * ```
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const client = openPostgres(options.url, options.max === undefined ? {} : { max: options.max });
  const orm = drizzle({ client });
  const runner = new PgRunner(orm, options.retry);
  try {
    // A server still starting answers 57P03 for a moment: the first contact is retried.
    await runner.read(async () => {
      await client`SELECT 1`;
    });
    if (options.migrate ?? true) await migratePostgres(orm);
  } catch (error) {
    await client.close();
    throw error;
  }
  const box = options.secretBox;
  const messages = new PostgresMessageStore(
    runner,
    options.batching === undefined ? {} : { batching: options.batching },
  );
  let closed: Promise<void> | undefined;
  return {
    sendQueue: new PostgresSendQueue(runner),
    companies: new PostgresCompanyStore(runner),
    channels: new PostgresChannelStore(runner, box),
    integrations: new PostgresIntegrationStore(
      runner,
      box,
      options.onError === undefined ? {} : { onError: options.onError },
    ),
    tokens: new PostgresTokenStore(runner, box),
    messages,
    idempotency: new PostgresIdempotencyStore(runner),
    deliveries: new PostgresDeliveryStore(runner, box),
    suppressions: new PostgresSuppressionStore(runner),
    contactWindows: new PostgresContactWindowStore(runner),
    generations: new PostgresChangeGenerations(runner),
    operatorAlerts: new PostgresOperatorAlertStore(runner),
    operations: new PostgresOperationsStore(runner),
    stats: new PostgresOpsStats(runner),
    ping: async () => {
      await client`SELECT 1`;
    },
    writeStats: () => messages.writeStats,
    retries: () => runner.retried,
    close: () => {
      closed ??= (async () => {
        await messages.drain();
        runner.close();
        await client.close({ timeout: 5 });
      })();
      return closed;
    },
  };
}
