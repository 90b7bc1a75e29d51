/**
 * Fan-out scenario (b′), the worker alone draining queued deliveries, and the durable floor on a
 * copy of them (bench/README.md#fan-out).
 *
 * @module
 */
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { provision, type Setup, setupLabel } from "../shared/backend.ts";
import { log } from "../shared/progress.ts";
import { type Analysis, analyse, type Row } from "./analyse.ts";
import { runFloor } from "./children.ts";
import { cpuMeter } from "./cpu_meter.ts";
import type { Receivers } from "./receivers.ts";
import { CREATE_IN_FLIGHT, type FanoutOptions, LOOP_IN_FLIGHT, who } from "./scenarios.ts";
import { Sendeasy, startServers } from "./sendeasy.ts";

/**
 * (b′) the worker alone: servers without their worker (`FANOUT_WORKER=off`) queue N events × 3
 * deliveries through the API and exit; fresh servers (as many as the setup has) on the same
 * backend drain them. Rate = 3N / (first receipt → last receipt): no event creation competes
 * with the workers. On SQLite, the durable floor (`floor.ts`) first drains a copy of
 * the same file the same way: its row comes first.
 */
export async function scenarioDrain(
  receivers: Receivers,
  options: FanoutOptions,
  setup: Setup,
): Promise<{ worker: Row; floor?: Row }> {
  const webhooks = 3;
  const n = options.events;
  log(`(b′) ${setupLabel(setup)}: queue ${n} events × ${webhooks} webhooks, then drain them`);
  const backend = await provision(setup.backend);
  let result: Analysis;
  let cpu: { note: string; serversMs: number };
  let firstArrival: number;
  let floor: Row | null = null;
  try {
    const filler = await Sendeasy.start(receivers, webhooks, setup, { backend, worker: false });
    try {
      await filler.events(0, n, CREATE_IN_FLIGHT, webhooks);
    } finally {
      await filler.stop();
    }
    if ((await receivers.count()) !== 0) throw new Error("a worker ran while the outbox filled");
    const dataDir = backend.env.SENDEASY_DATA_DIR;
    if (setup.backend === "sqlite" && dataDir) floor = await drainFloor(receivers, dataDir, n);
    const drainers = await startServers(backend, setup.instances);
    try {
      const meter = cpuMeter(drainers, receivers, backend);
      await receivers.waitFor(n * webhooks, 120_000);
      cpu = meter.done();
      const report = await receivers.report();
      result = analyse(report, webhooks, n);
      firstArrival = report.at.reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
    } finally {
      for (const drainer of drainers) await drainer.stop();
    }
  } finally {
    await receivers.reset();
    await backend.drop();
  }
  const deliveries = n * webhooks;
  const windowMs = result.lastArrival - firstArrival;
  const worker: Row = {
    label: `(b′) ${who(setup)} worker alone, ${deliveries} queued deliveries to ${webhooks} webhooks`,
    deliveries,
    rate: (deliveries / windowMs) * 1000,
    baseline: "b-loop",
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    cpuUsPerDelivery: (cpu.serversMs * 1000) / deliveries,
    problems: result.problems,
    notes: [
      `(b′) ${setupLabel(setup)}: drained in ${(windowMs / 1000).toFixed(2)} s from the first receipt (cold process, no warm-up); ${cpu.note}`,
    ],
  };
  return floor === null ? { worker } : { worker, floor };
}

/**
 * The durable floor on a copy of the SQLite file the filler queued `events` × 3 deliveries in:
 * rate from its first receipt to its last, as (b′) measures the worker.
 */
async function drainFloor(receivers: Receivers, dataDir: string, events: number): Promise<Row> {
  const webhooks = 3;
  const copy = join(dataDir, "floor");
  mkdirSync(copy);
  for (const file of readdirSync(dataDir).filter((name) => name.startsWith("sendeasy.sqlite"))) {
    copyFileSync(join(dataDir, file), join(copy, file));
  }
  log(`(b′) durable floor: drain a copy of the queued deliveries`);
  try {
    const floor = await runFloor(join(copy, "sendeasy.sqlite"), LOOP_IN_FLIGHT);
    await receivers.waitFor(events * webhooks, 60_000);
    const report = await receivers.report();
    const result = analyse(report, webhooks, events);
    const first = report.at.reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
    const problems = [...result.problems, ...(floor.errors > 0 ? [`${floor.errors} errors`] : [])];
    return {
      label: `(b′) durable floor (claim, sign, POST, settle and log, group commit), ${LOOP_IN_FLIGHT} in flight`,
      deliveries: floor.deliveries,
      rate: (floor.deliveries / (result.lastArrival - first)) * 1000,
      baseline: "b-loop",
      p50Ms: Number.NaN,
      p99Ms: Number.NaN,
      cpuUsPerDelivery: floor.cpuUs / Math.max(1, floor.deliveries),
      problems,
      notes: [],
    };
  } finally {
    await receivers.reset();
    rmSync(copy, { recursive: true, force: true });
  }
}
