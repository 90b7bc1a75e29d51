/**
 * Wakes delivery workers when new deliveries are due, on this instance or on every instance
 * (through Redis), so they need not poll fast. Workers still poll slowly: a lost signal only
 * delays, never loses, a delivery.
 *
 * @module
 */

export interface WorkSignal {
  /** Tells every subscribed worker (on every instance) that work may be due. */
  notify(): void;
  /** Calls `listener` on each notification; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
}
