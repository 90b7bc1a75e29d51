/**
 * Randomness, as a port: core never calls a random source itself.
 *
 * @module
 */

/**
 * Returns `length` bytes from a cryptographically secure source
 * (in adapters: `crypto.getRandomValues(new Uint8Array(length))`).
 */
export type RandomBytes = (length: number) => Uint8Array;
