/**
 * Quantiles of measured latencies, one definition for every bench (bench/README.md).
 *
 * @module
 */

/** The value at quantile `q` (0..1) of ascending `sorted` (nearest rank). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}
