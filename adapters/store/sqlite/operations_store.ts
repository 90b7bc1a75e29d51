/**
 * {@linkcode OperationsStore} on SQLite: each call is one write through the store's writer, so
 * a retention batch is one short transaction between the others, never a long lock.
 *
 * @module
 */
import type {
  OperationsStore,
  PurgeBatch,
  PurgeStep,
} from "../../../core/ports/operations_store.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * @example
 * ```ts
 * const operations = new SqliteOperationsStore(writes);
 * const batch = await operations.purgeBatch({ step: "deliveries", before, limit: 500, after: "" });
 * ```
 */
export class SqliteOperationsStore implements OperationsStore {
  readonly #writes: SqliteWriter;

  constructor(writes: SqliteWriter) {
    this.#writes = writes;
  }

  acquireJobLease(job: { name: string; holder: string; now: Date; until: Date }): Promise<boolean> {
    const { name, holder, now, until } = job;
    return this.#writes.write("jobs.acquire", [name, holder, now.getTime(), until.getTime()]);
  }

  purgeBatch(options: {
    step: PurgeStep;
    before: Date;
    limit: number;
    after: string;
  }): Promise<PurgeBatch> {
    const { step, before, limit, after } = options;
    return this.#writes.write("retention.purge", [
      step,
      { before: before.getTime(), limit, after },
    ]);
  }

  recoverDeliveries(options: {
    companyId: string;
    webhookId: string;
    since: Date;
    now: Date;
    dryRun: boolean;
  }): Promise<number> {
    const { companyId, webhookId, since, now, dryRun } = options;
    return this.#writes.write("deliveries.recover", [
      { companyId, webhookId, since: since.getTime(), now: now.getTime() },
      dryRun,
    ]);
  }
}
