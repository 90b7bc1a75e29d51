/**
 * The machine's load around a table, and the warning when it was busy (bench/README.md#reproduce).
 *
 * @module
 */
import { loadavg } from "node:os";

/** The 1-minute load average now. */
export const loadNow = (): number => loadavg()[0] ?? 0;

/** A percentage with one decimal: `0.253` → `25.3 %`. */
export const pct = (ratio: number): string => `${(ratio * 100).toFixed(1)} %`;

/**
 * The line printed under a table: the load before and after it, as a warning to rerun when it
 * was above what the bench itself causes.
 *
 * @param quietBefore the most the load may be before the table on a quiet machine (the bench's
 *   own processes may push it to 3 by the end)
 */
export function loadNote(before: number, after: number, quietBefore: number): string {
  const cores = navigator.hardwareConcurrency;
  const line = `1-min load average ${before.toFixed(2)} before, ${after.toFixed(2)} after (${cores} cores).`;
  if (before <= quietBefore && after <= 3) return `\n${line}`;
  return `\n> Warning: the machine was busy: ${line} Rerun on a quiet machine before trusting these numbers.`;
}
