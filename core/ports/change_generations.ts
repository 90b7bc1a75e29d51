/**
 * A counter per kind of change, kept in the database every instance shares: an instance that
 * caches something bumps it after a change and polls it, so every instance learns of a change
 * within a poll, with or without Redis.
 *
 * @module
 */

/** Counters by name (`"webhooks"`). */
export interface ChangeGenerations {
  /** Adds one to the counter `name`; resolves once durable. */
  bump(name: string): Promise<void>;
  /** The counter `name` now; 0 before its first bump. */
  read(name: string): Promise<number>;
}
