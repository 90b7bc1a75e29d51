/**
 * Fan-out scenarios (a) 1 event × 50 webhooks and (b) N events × 3 webhooks, with their plain-loop
 * rows (bench/README.md#fan-out).
 *
 * @module
 */
import { type Setup, setupLabel } from "../shared/backend.ts";
import { log } from "../shared/progress.ts";
import { quantile } from "../shared/quantile.ts";
import { type Analysis, analyse, median, type Row } from "./analyse.ts";
import { runLoop } from "./children.ts";
import { cpuMeter } from "./cpu_meter.ts";
import type { CapturedRequest } from "./receiver.ts";
import type { Receivers } from "./receivers.ts";
import { Sendeasy } from "./sendeasy.ts";

export const LOOP_IN_FLIGHT = 64;
/** The delivery worker's default per-destination limit (server/worker/delivery_worker.ts). */
export const WORKER_PER_DESTINATION = 8;
export const CREATE_IN_FLIGHT = 16;

export interface FanoutOptions {
  rounds: number;
  events: number;
  warmupEvents: number;
  latencySeconds: number;
  /** How long company B's events run in (d), the fairness scenario. */
  fairnessSeconds: number;
  profile: boolean;
}

/** A Sendeasy row and the requests it delivered (what the plain loop replays). */
export interface Measured {
  row: Row;
  requests: CapturedRequest[];
}

export const who = (setup: Setup) => `Sendeasy (${setupLabel(setup)})`;

export async function scenarioA(
  receivers: Receivers,
  options: FanoutOptions,
  setup: Setup,
): Promise<Measured> {
  const webhooks = 50;
  log(`(a) ${setupLabel(setup)}: 1 event × ${webhooks} webhooks, ${options.rounds} rounds`);
  const server = await Sendeasy.start(receivers, webhooks, setup);
  // One warm-up event per instance (events alternate between them).
  const warmups = server.targets.length;
  let rounds: Analysis;
  let requests: CapturedRequest[];
  let writes: { batches: number; writes: number } | null;
  let serversMs: number;
  try {
    for (let n = 0; n < warmups; n++) {
      await server.event(n, webhooks);
      await receivers.waitFor(webhooks * (n + 1), 10_000);
    }
    await receivers.reset();
    const meter = cpuMeter(server.targets, receivers, server.backend);
    for (let round = 1; round <= options.rounds; round++) {
      await server.event(warmups - 1 + round, webhooks);
      await receivers.waitFor(webhooks * round, 10_000);
    }
    serversMs = meter.done().serversMs;
    rounds = analyse(await receivers.report(), webhooks, options.rounds);
    requests = (await receivers.captured()).slice(-webhooks);
    writes = await server.sqliteWrites();
  } finally {
    await server.stop();
    await receivers.reset();
  }
  const roundMs = [...rounds.perEvent.values()].map((e) => e.last - e.createdAt);
  const sqlite = writes
    ? `; SQLite ${writes.writes} writes in ${writes.batches} commits over the whole server life`
    : "";
  const row: Row = {
    label: `(a) ${who(setup)}, 1 event × ${webhooks} webhooks`,
    deliveries: webhooks * options.rounds,
    rate: (webhooks / median(roundMs)) * 1000,
    baseline: "a-loop",
    p50Ms: quantile(rounds.latencies, 0.5),
    p99Ms: quantile(rounds.latencies, 0.99),
    cpuUsPerDelivery: (serversMs * 1000) / (webhooks * options.rounds),
    problems: rounds.problems,
    notes: [
      `(a) ${setupLabel(setup)}: event → last of its ${webhooks} receipts: median ${median(roundMs).toFixed(1)} ms, min ${Math.min(...roundMs)} ms, max ${Math.max(...roundMs)} ms${sqlite}`,
    ],
  };
  return { row, requests };
}

/** The loop row of (a): one event's requests, `rounds` times, 64 in flight. */
export async function loopA(
  receivers: Receivers,
  requests: CapturedRequest[],
  options: FanoutOptions,
): Promise<Row> {
  log(`(a) plain loop: ${LOOP_IN_FLIGHT} in flight, 1 warm-up + ${options.rounds} rounds`);
  const loop = await runLoop(receivers, "a", requests, {
    inFlight: LOOP_IN_FLIGHT,
    perDestination: 0,
    rounds: options.rounds,
    warmup: requests.length,
  });
  return {
    label: `(a) plain fetch loop, ${LOOP_IN_FLIGHT} in flight`,
    deliveries: loop.jobs * options.rounds,
    rate: (loop.jobs / median(loop.roundsMs)) * 1000,
    p50Ms: loop.p50Ms,
    p99Ms: loop.p99Ms,
    cpuUsPerDelivery: loop.cpuUs / (loop.jobs * options.rounds),
    problems: loop.errors > 0 ? [`${loop.errors} errors`] : [],
    notes: [],
  };
}

export async function scenarioB(
  receivers: Receivers,
  options: FanoutOptions,
  setup: Setup,
): Promise<Measured> {
  const webhooks = 3;
  const n = options.events;
  const warmup = options.warmupEvents;
  log(`(b) ${setupLabel(setup)}: ${n} events × ${webhooks} webhooks (after ${warmup} warm-up)`);
  const server = await Sendeasy.start(receivers, webhooks, setup);
  let result: Analysis;
  let createMs: number[];
  let requests: CapturedRequest[];
  let writes: { batches: number; writes: number } | null = null;
  let createdIn: number;
  let cpu: { note: string; serversMs: number };
  let afterLast: number;
  try {
    await server.events(0, warmup, CREATE_IN_FLIGHT, webhooks);
    await receivers.waitFor(warmup * webhooks, 30_000);
    await receivers.reset();
    const before = await server.sqliteWrites();
    const meter = cpuMeter(server.targets, receivers, server.backend);
    const started = performance.now();
    createMs = await server.events(warmup, n, CREATE_IN_FLIGHT, webhooks);
    createdIn = performance.now() - started;
    await receivers.waitFor(n * webhooks, 120_000);
    cpu = meter.done();
    const report = await receivers.report();
    result = analyse(report, webhooks, n);
    afterLast = report.at.filter((at) => at > result.lastCreatedAt).length;
    requests = await receivers.captured();
    const after = await server.sqliteWrites();
    if (before && after) {
      writes = { batches: after.batches - before.batches, writes: after.writes - before.writes };
    }
  } finally {
    await server.stop();
    await receivers.reset();
  }
  createMs.sort((a, b) => a - b);
  const deliveries = n * webhooks;
  const windowMs = result.lastArrival - result.firstCreatedAt;
  const creatingMs = Math.max(1, result.lastCreatedAt - result.firstCreatedAt);
  const drainMs = Math.max(1, result.lastArrival - result.lastCreatedAt);
  const during = deliveries - afterLast;
  const sqlite = writes
    ? `SQLite during the run: ${writes.writes} writes in ${writes.batches} commits (${(writes.writes / deliveries).toFixed(2)} writes and ${(writes.batches / deliveries).toFixed(2)} commits per delivery); `
    : "";
  const row: Row = {
    label: `(b) ${who(setup)}, ${n} events × ${webhooks} webhooks`,
    deliveries,
    rate: (deliveries / windowMs) * 1000,
    baseline: "b-loop",
    p50Ms: quantile(result.latencies, 0.5),
    p99Ms: quantile(result.latencies, 0.99),
    cpuUsPerDelivery: (cpu.serversMs * 1000) / deliveries,
    problems: result.problems,
    notes: [
      `(b) ${setupLabel(setup)}: events created over the API in ${(createdIn / 1000).toFixed(2)} s (${Math.round((n / createdIn) * 1000)} events/s, ${CREATE_IN_FLIGHT} in flight, simulate-inbound p50 ${quantile(createMs, 0.5).toFixed(1)} ms / p99 ${quantile(createMs, 0.99).toFixed(1)} ms); first event → last delivery ${(windowMs / 1000).toFixed(2)} s; ${during} deliveries arrived while events were being created (${Math.round((during / creatingMs) * 1000)}/s), ${afterLast} after the last one (${Math.round((afterLast / drainMs) * 1000)}/s over the last ${(drainMs / 1000).toFixed(2)} s: the worker${setup.instances > 1 ? "s" : ""} alone)`,
      `(b) ${setupLabel(setup)}: ${sqlite}${cpu.note}`,
    ],
  };
  return { row, requests };
}

/** The loop rows of (b): 64 in flight, and each of `perDestination` (> 0) caps as well. */
export async function loopsB(
  receivers: Receivers,
  requests: CapturedRequest[],
  options: FanoutOptions,
  perDestinations: readonly number[],
): Promise<Row[]> {
  const webhooks = 3;
  const rows: Row[] = [];
  for (const perDestination of perDestinations) {
    const inFlight = perDestination === 0 ? LOOP_IN_FLIGHT : perDestination * webhooks;
    log(
      `(b) plain loop: ${inFlight} in flight${perDestination ? ` (${perDestination}/dest)` : ""}`,
    );
    const loop = await runLoop(receivers, `b${perDestination}`, requests, {
      inFlight,
      perDestination,
      rounds: 1,
      warmup: Math.min(requests.length, options.warmupEvents * webhooks),
    });
    rows.push({
      label:
        perDestination === 0
          ? `(b) plain fetch loop, ${LOOP_IN_FLIGHT} in flight`
          : `(b) plain fetch loop, ${perDestination} per destination (the worker's cap)`,
      deliveries: loop.jobs,
      rate: (loop.jobs / (loop.roundsMs[0] as number)) * 1000,
      p50Ms: loop.p50Ms,
      p99Ms: loop.p99Ms,
      cpuUsPerDelivery: loop.cpuUs / loop.jobs,
      problems: loop.errors > 0 ? [`${loop.errors} errors`] : [],
      notes: [],
    });
  }
  return rows;
}
