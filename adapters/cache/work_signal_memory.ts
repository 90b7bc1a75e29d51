/**
 * In-process worker wake-ups: one instance, so every worker hears every notification.
 *
 * @module
 */
import type { WorkSignal } from "../../core/ports/work_signal.ts";

/** Options of {@linkcode MemoryWorkSignal}. */
export interface MemoryWorkSignalOptions {
  /** Receives what a listener throws (default: `console.error`). */
  onListenerError?: (error: unknown) => void;
}

/**
 * Calls every listener, synchronously, inside `notify()`. A listener that throws is reported
 * to `onListenerError` and the others still run: `notify()` is called on the send path after
 * the message is saved, so it must not fail a send that succeeded.
 *
 * @example
 * ```ts
 * const signal = new MemoryWorkSignal();
 * const stop = signal.subscribe(() => worker.kick());
 * signal.notify();
 * stop();
 * ```
 */
export class MemoryWorkSignal implements WorkSignal {
  readonly #listeners = new Set<() => void>();
  readonly #onListenerError: (error: unknown) => void;

  /** @param options See {@linkcode MemoryWorkSignalOptions}. */
  constructor(options: MemoryWorkSignalOptions = {}) {
    this.#onListenerError =
      options.onListenerError ?? ((error) => console.error("work signal listener failed:", error));
  }

  notify(): void {
    // A copy: a listener may subscribe or unsubscribe while we iterate.
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  subscribe(listener: () => void): () => void {
    // Wrapped, so the same function subscribed twice is two subscriptions.
    const entry = (): void => listener();
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }
}
