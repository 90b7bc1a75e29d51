/**
 * The send worker (README "Throughput, retries, async and scheduled sends"): claims the queued
 * sends that are due (a lease, as the delivery worker does; woken by the same work signal,
 * polling besides), sends each at its channel's pace with its one provider idempotency key,
 * puts temporary failures back on a backoff for up to 24 hours, and records the outcome with
 * its event. Several workers, in one process or many, share the queue.
 *
 * @module
 */
import type { Clock } from "../../core/ports/clock.ts";
import type { SendPacer } from "../../core/ports/send_pacer.ts";
import type { QueuedSend, SendQueue } from "../../core/ports/send_queue.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import type { Logger } from "../logger.ts";
import { type QueuedSendDeps, sendQueued } from "./send_attempt.ts";

/** What the worker needs. */
export interface SendWorkerOptions extends QueuedSendDeps {
  queue: SendQueue;
  pacer: SendPacer;
  signal: WorkSignal;
  clock: Clock;
  logger: Logger;
  /** Polling period when nothing wakes the worker (default 1000 ms). */
  pollMs?: number;
  /** Sends in flight at once (default 32). */
  concurrency?: number;
}

/** Runs until `stop()`. */
export class SendWorker {
  readonly #o: SendWorkerOptions;
  readonly #running = new Set<Promise<void>>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;
  #ticking: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(options: SendWorkerOptions) {
    this.#o = options;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#unsubscribe = this.#o.signal.subscribe(() => this.#wake());
    this.#wake();
  }

  /** Stops claiming and waits for the sends in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
    await this.#ticking;
    await Promise.allSettled([...this.#running]);
  }

  #wake(): void {
    if (this.#stopped) return;
    if (this.#ticking !== null) {
      this.#again = true;
      return;
    }
    this.#ticking = this.#tick()
      .catch((error: unknown) =>
        this.#o.logger.error("send claim failed", { error: String(error) }),
      )
      .finally(() => {
        this.#ticking = null;
        if (this.#again) {
          this.#again = false;
          this.#wake();
        }
      });
  }

  /** Claims while there is room and work, then sleeps until a wake-up or the next poll. */
  async #tick(): Promise<void> {
    clearTimeout(this.#timer);
    const concurrency = this.#o.concurrency ?? 32;
    for (;;) {
      const room = concurrency - this.#running.size;
      if (room <= 0 || this.#stopped) break;
      const now = this.#o.clock.now();
      const leaseUntil = new Date(now + this.#o.leaseMs);
      const claims = await this.#o.queue.claimDueSends(new Date(now), { leaseUntil, limit: room });
      for (const claim of claims) this.#run(claim);
      if (claims.length < room) break;
    }
    if (!this.#stopped) this.#timer = setTimeout(() => this.#wake(), this.#o.pollMs ?? 1_000);
  }

  #run(claim: QueuedSend): void {
    const run = sendQueued(this.#o, claim)
      .catch((error: unknown) =>
        this.#o.logger.error("queued send failed", {
          messageId: claim.message.id,
          error: String(error),
        }),
      )
      .finally(() => {
        this.#running.delete(run);
        this.#wake();
      });
    this.#running.add(run);
  }
}
