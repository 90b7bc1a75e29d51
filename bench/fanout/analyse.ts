/**
 * The fan-out's rows and what it makes of the receivers' report: latencies, missing and duplicate
 * deliveries (bench/README.md#fan-out).
 *
 * @module
 */
import { quantile } from "../shared/quantile.ts";
import type { ReceiverReport } from "./receiver.ts";

/** One measured scenario (a Sendeasy setup or a plain loop). */
export interface Row {
  label: string;
  deliveries: number;
  rate: number;
  /** Name of the loop row this one is compared with. */
  baseline?: string;
  p50Ms: number;
  p99Ms: number;
  /**
   * CPU time per delivery, in µs, of the server processes (every thread; event creation
   * included where the scenario creates events) or of the loop process: steadier than the
   * rate on a shared machine.
   */
  cpuUsPerDelivery?: number;
  /** Missing deliveries, duplicates or errors: anything here makes the row invalid. */
  problems: string[];
  /** Extra lines printed under the table. */
  notes: string[];
}

export const median = (values: readonly number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

export const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "—");

export type Analysis = ReturnType<typeof analyse>;

/** Latencies (receipt − `createdAt`), sorted, and duplicate/missing counts against `expected`. */
export function analyse(report: ReceiverReport, expectedPerEvent: number, expectedEvents: number) {
  const latencies: number[] = [];
  const seen = new Set<string>();
  const perEvent = new Map<string, { createdAt: number; last: number; count: number }>();
  let duplicates = 0;
  for (let i = 0; i < report.id.length; i++) {
    const id = report.id[i] as string;
    const at = report.at[i] as number;
    const createdAt = report.createdAt[i] as number;
    const key = `${id}@${report.port[i]}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    latencies.push(at - createdAt);
    const event = perEvent.get(id);
    if (event === undefined) perEvent.set(id, { createdAt, last: at, count: 1 });
    else {
      event.last = Math.max(event.last, at);
      event.count++;
    }
  }
  latencies.sort((a, b) => a - b);
  const missing = expectedPerEvent * expectedEvents - seen.size;
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} deliveries missing`);
  if (duplicates > 0) problems.push(`${duplicates} duplicates`);
  if (perEvent.size !== expectedEvents) {
    problems.push(`${perEvent.size} events seen, ${expectedEvents} expected`);
  }
  const createdAts = [...perEvent.values()].map((e) => e.createdAt);
  return {
    latencies,
    perEvent,
    problems,
    firstCreatedAt: Math.min(...createdAts),
    lastCreatedAt: Math.max(...createdAts),
    lastArrival: report.at.reduce((max, at) => Math.max(max, at), 0),
  };
}
