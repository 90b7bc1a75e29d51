/**
 * Retention (README "Retention"): with `SENDEASY_RETENTION_DAYS` set, deletes what is older
 * than that, in small batches, on one instance at a time (a job lease in the database), never
 * anything still pending.
 *
 * @module
 */
import type { Clock } from "../../core/ports/clock.ts";
import type { OperationsStore, PurgeStep } from "../../core/ports/operations_store.ts";
import type { Logger } from "../logger.ts";

const DAY_MS = 86_400_000;
/** The job lease's name. */
const JOB = "retention";

export interface RetentionOptions {
  store: OperationsStore;
  clock: Clock;
  logger: Logger;
  /** Rows older than this many days go. */
  days: number;
  /** This instance, as the lease's holder. */
  holder: string;
  /** Time between runs, and how long a run's lease keeps other instances out (default 1 h). */
  intervalMs?: number;
  /** Rows of each kind per batch (default 500): each batch is one short transaction. */
  batchSize?: number;
}

/** How many rows a run deleted, by table. */
export interface PurgeCounts {
  attempts: number;
  deliveries: number;
  events: number;
  statusReports: number;
  messages: number;
}

/** The steps in the order foreign keys need (see `PurgeStep`). */
const STEPS: readonly PurgeStep[] = ["deliveries", "events", "messages", "reports"];

/** What one run did: `ran: false` when another instance holds the job. */
export type RetentionRun = { ran: false } | { ran: true; deleted: PurgeCounts; batches: number };

/** Runs every `intervalMs` from `start()`, the first run at once. */
export class RetentionJob {
  readonly #o: Required<RetentionOptions>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<RetentionRun> | null = null;
  #stopped = true;
  /** `stop()` was called: a run under way ends after its current batch. */
  #halted = false;

  constructor(options: RetentionOptions) {
    this.#o = { intervalMs: 3_600_000, batchSize: 500, ...options };
  }

  start(): void {
    this.#stopped = false;
    this.#halted = false;
    this.#schedule(0);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    this.#halted = true;
    clearTimeout(this.#timer);
    await this.#running?.catch(() => undefined);
  }

  /** One run now (or the one under way): deletes batch by batch while this instance holds the job. */
  runOnce(): Promise<RetentionRun> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  #schedule(waitMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.runOnce()
        .catch((error) => this.#o.logger.error("retention failed", { error: String(error) }))
        .finally(() => this.#schedule(this.#o.intervalMs));
    }, waitMs);
  }

  async #run(): Promise<RetentionRun> {
    const { store, clock, days, batchSize } = this.#o;
    const deleted: PurgeCounts = {
      attempts: 0,
      deliveries: 0,
      events: 0,
      statusReports: 0,
      messages: 0,
    };
    let batches = 0;
    // One cut-off for the whole run: a row young at the start stays young to its end.
    const before = new Date(clock.now() - days * DAY_MS);
    for (const step of STEPS) {
      let after: string | null = "";
      while (after !== null) {
        // The lease is renewed before every batch: a run outliving it could overlap another's.
        if (this.#halted || !(await this.#hold())) {
          return batches === 0 ? { ran: false } : { ran: true, deleted, batches };
        }
        const batch = await store.purgeBatch({ step, before, limit: batchSize, after });
        batches += 1;
        count(deleted, step, batch.deleted, batch.related);
        after = batch.next;
      }
    }
    this.#o.logger.info("retention done", { days, batches, ...deleted });
    return { ran: true, deleted, batches };
  }

  #hold(): Promise<boolean> {
    const now = this.#o.clock.now();
    return this.#o.store.acquireJobLease({
      name: JOB,
      holder: this.#o.holder,
      now: new Date(now),
      until: new Date(now + this.#o.intervalMs),
    });
  }
}

function count(deleted: PurgeCounts, step: PurgeStep, rows: number, related: number): void {
  if (step === "deliveries") {
    deleted.deliveries += rows;
    deleted.attempts += related;
  } else if (step === "events") {
    deleted.events += rows;
  } else if (step === "messages") {
    deleted.messages += rows;
    deleted.statusReports += related;
  } else {
    deleted.statusReports += rows;
  }
}
