/**
 * Time, as a port: core never reads the clock itself, so tests can drive it.
 *
 * @module
 */

/** Gives the current time. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}
