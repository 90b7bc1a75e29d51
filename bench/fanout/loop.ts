/**
 * Process: the fan-out's baseline, a plain `fetch` loop replaying the captured requests
 * (bench/README.md#the-plain-loop).
 *
 * @module
 */

import { quantile } from "../shared/quantile.ts";

export interface LoopJob {
  url: string;
  headers: Record<string, string>;
  body: string;
}

export interface LoopResult {
  jobs: number;
  roundsMs: number[];
  p50Ms: number;
  p99Ms: number;
  errors: number;
  /** This process's CPU time (every thread) over the measured rounds, in µs. */
  cpuUs: number;
}

/** Posts `jobs` with at most `inFlight` requests at once (and `perDestination` per URL). */
async function postAll(
  jobs: readonly LoopJob[],
  inFlight: number,
  perDestination: number,
  latencies: number[] | null,
): Promise<number> {
  let errors = 0;
  const post = async (job: LoopJob): Promise<void> => {
    const started = performance.now();
    try {
      const res = await fetch(job.url, { method: "POST", headers: job.headers, body: job.body });
      await res.arrayBuffer();
      if (res.status < 200 || res.status >= 300) errors++;
    } catch {
      errors++;
    }
    latencies?.push(performance.now() - started);
  };
  if (perDestination <= 0) {
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < jobs.length) await post(jobs[next++] as LoopJob);
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, jobs.length) }, runner));
    return errors;
  }
  // One queue per destination drained by `perDestination` runners, under a global cap.
  const queues = new Map<string, LoopJob[]>();
  for (const job of jobs) {
    const queue = queues.get(job.url);
    if (queue === undefined) queues.set(job.url, [job]);
    else queue.push(job);
  }
  let free = inFlight;
  const waiting: (() => void)[] = [];
  const acquire = async (): Promise<void> => {
    if (free > 0) {
      free--;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const wake = waiting.shift();
    if (wake === undefined) free++;
    else wake();
  };
  const runners: Promise<void>[] = [];
  for (const queue of queues.values()) {
    let next = 0;
    const runner = async (): Promise<void> => {
      while (next < queue.length) {
        const job = queue[next++] as LoopJob;
        await acquire();
        try {
          await post(job);
        } finally {
          release();
        }
      }
    };
    for (let i = 0; i < Math.min(perDestination, queue.length); i++) runners.push(runner());
  }
  await Promise.all(runners);
  return errors;
}

async function main(): Promise<void> {
  const [file, inFlightArg, perDestinationArg, roundsArg, warmupArg] = Bun.argv.slice(2);
  const jobs = (await Bun.file(String(file)).json()) as LoopJob[];
  const inFlight = Number(inFlightArg);
  const perDestination = Number(perDestinationArg ?? 0);
  const rounds = Number(roundsArg ?? 1);
  const warmup = Number(warmupArg ?? 0);
  if (!(inFlight > 0) || !(rounds > 0) || !(warmup >= 0) || jobs.length === 0) {
    throw new Error(
      `usage: bun bench/fanout/loop.ts <jobs.json> <inFlight> <perDest> <rounds> <warmup>`,
    );
  }

  let errors = 0;
  if (warmup > 0) errors += await postAll(jobs.slice(0, warmup), inFlight, perDestination, null);
  const latencies: number[] = [];
  const roundsMs: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    errors += await postAll(jobs, inFlight, perDestination, latencies);
    roundsMs.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuBefore);
  latencies.sort((a, b) => a - b);
  const result: LoopResult = {
    jobs: jobs.length,
    roundsMs,
    p50Ms: quantile(latencies, 0.5),
    p99Ms: quantile(latencies, 0.99),
    errors,
    cpuUs: cpu.user + cpu.system,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (import.meta.main) await main();
