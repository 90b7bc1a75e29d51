/**
 * A change signal that needs nothing but the database: `notify()` bumps a counter every
 * instance shares, and each instance polls it, so every subscriber on every instance hears of
 * a change within one poll (a second by default), with or without Redis.
 *
 * @module
 */
import type { ChangeGenerations } from "../../core/ports/change_generations.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";

/** Options of {@linkcode PolledWorkSignal}. */
export interface PolledWorkSignalOptions {
  /** How often the counter is read, in ms (default 1 000). */
  everyMs?: number;
  /** Receives failed bumps and reads, and what a listener throws (default `console.error`). */
  onError?: (error: unknown) => void;
}

/**
 * Listeners on this instance hear `notify()` at once; those on other instances at their next
 * poll. A poll that finds the counter moved calls every listener once, however many changes
 * it covers. A failed bump is reported, not thrown: `notify()` follows a change that succeeded.
 *
 * @example
 * ```ts
 * const changes = new PolledWorkSignal(store.generations, "webhooks");
 * changes.subscribe(() => cache.clear());
 * changes.notify(); // after a webhook changed
 * await changes.close();
 * ```
 */
export class PolledWorkSignal implements WorkSignal {
  readonly #generations: ChangeGenerations;
  readonly #name: string;
  readonly #everyMs: number;
  readonly #onError: (error: unknown) => void;
  readonly #listeners = new Set<() => void>();
  #seen: number | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #polling: Promise<void> | null = null;
  #closed = false;

  /**
   * @param generations the shared counters
   * @param name the counter this signal bumps and polls
   */
  constructor(generations: ChangeGenerations, name: string, options: PolledWorkSignalOptions = {}) {
    this.#generations = generations;
    this.#name = name;
    this.#everyMs = options.everyMs ?? 1_000;
    this.#onError = options.onError ?? ((error) => console.error("polled signal failed:", error));
  }

  notify(): void {
    this.#call();
    this.#generations.bump(this.#name).catch(this.#onError);
  }

  subscribe(listener: () => void): () => void {
    const entry = (): void => listener();
    this.#listeners.add(entry);
    if (this.#timer === undefined && this.#polling === null && !this.#closed) this.#schedule(0);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Reads the counter now; calls the listeners when it moved since the last read. */
  poll(): Promise<void> {
    this.#polling ??= this.#generations
      .read(this.#name)
      .then((value) => {
        const moved = this.#seen !== null && value !== this.#seen;
        this.#seen = value;
        if (moved) this.#call();
      })
      .catch(this.#onError)
      .finally(() => {
        this.#polling = null;
      });
    return this.#polling;
  }

  /** Stops polling; resolves once a read in flight is done. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#polling;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(async () => {
      await this.poll();
      if (!this.#closed) this.#schedule(this.#everyMs);
    }, delayMs);
    this.#timer.unref();
  }

  #call(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#onError(error);
      }
    }
  }
}
