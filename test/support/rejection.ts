/**
 * Asserting that a promise rejects, without `expect(promise).rejects`.
 *
 * Bun 1.4.5's `expect(promise).rejects` / `.resolves` waits for a still-pending promise in a
 * nested event loop that does not deliver `Worker` messages, so a write answered by the SQLite
 * writer thread never settles there and the test times out. Awaiting first, then asserting on
 * the error, works on every adapter.
 *
 * @module
 */
import { expect } from "bun:test";

/**
 * Awaits `promise`, fails the test if it resolves, and checks its error like `toThrow(expected)`.
 *
 * @returns The rejection reason, for further checks.
 */
export async function expectRejection(
  promise: Promise<unknown>,
  expected?: RegExp | string | (new (...args: never[]) => Error),
): Promise<unknown> {
  let settled: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    settled = { ok: true, value: await promise };
  } catch (error) {
    settled = { ok: false, error };
  }
  if (settled.ok) {
    throw new Error(`Expected a rejection, but the promise resolved with ${String(settled.value)}`);
  }
  const { error } = settled;
  const rethrow = () => {
    throw error;
  };
  if (expected === undefined) expect(rethrow).toThrow();
  else expect(rethrow).toThrow(expected);
  return error;
}
