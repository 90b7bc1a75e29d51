/**
 * Fan-out scenario (c), event → receipt latency at a fixed event rate, and the profile pass of (b)
 * (bench/README.md#fan-out).
 *
 * @module
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Setup, setupLabel } from "../shared/backend.ts";
import { log } from "../shared/progress.ts";
import { quantile } from "../shared/quantile.ts";
import { WORK_DIR } from "../shared/wrk.ts";
import { type Analysis, analyse, type Row } from "./analyse.ts";
import { cpuMeter } from "./cpu_meter.ts";
import type { Receivers } from "./receivers.ts";
import { CREATE_IN_FLIGHT, type FanoutOptions } from "./scenarios.ts";
import { Sendeasy } from "./sendeasy.ts";

export const RATE_PER_SECOND = 500;

/** Fires `rate` events/s for `seconds` (at most 256 API calls outstanding); returns how many. */
async function atRate(server: Sendeasy, from: number, rate: number, seconds: number) {
  const total = Math.round(rate * seconds);
  const started = performance.now();
  let sent = 0;
  let outstanding = 0;
  let failure: unknown = null;
  while (sent < total && failure === null) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate) + 1);
    while (sent < due && outstanding < 256) {
      outstanding++;
      server
        .event(from + sent++, 1)
        .catch((error) => {
          failure = error;
        })
        .finally(() => outstanding--);
    }
    await Bun.sleep(1);
  }
  while (outstanding > 0) await Bun.sleep(1);
  if (failure !== null) throw failure;
  return { total, seconds: (performance.now() - started) / 1000 };
}

/** (c) `RATE_PER_SECOND` events/s to 1 webhook for `latencySeconds`, after a 1 s warm-up. */
export async function scenarioC(
  receivers: Receivers,
  options: FanoutOptions,
  setup: Setup,
): Promise<Row> {
  const seconds = options.latencySeconds;
  log(
    `(c) ${setupLabel(setup)}: ${RATE_PER_SECOND} events/s × 1 webhook for ${seconds} s (after 1 s warm-up)`,
  );
  const server = await Sendeasy.start(receivers, 1, setup);
  let result: Analysis;
  let fired: { total: number; seconds: number };
  let cpu: { note: string; serversMs: number };
  try {
    const warm = await atRate(server, 0, RATE_PER_SECOND, 1);
    await receivers.waitFor(warm.total, 30_000);
    await receivers.reset();
    const meter = cpuMeter(server.targets, receivers, server.backend);
    fired = await atRate(server, warm.total, RATE_PER_SECOND, seconds);
    await receivers.waitFor(fired.total, 60_000);
    cpu = meter.done();
    result = analyse(await receivers.report(), 1, fired.total);
  } finally {
    await server.stop();
    await receivers.reset();
  }
  const windowMs = result.lastArrival - result.firstCreatedAt;
  const offered = fired.total / fired.seconds;
  if (offered < RATE_PER_SECOND * 0.95) {
    result.problems.push(
      `only ${Math.round(offered)} events/s offered (the API answered too slowly)`,
    );
  }
  return {
    label: `(c) Sendeasy (${setupLabel(setup)}), ${RATE_PER_SECOND} events/s × 1 webhook, ${seconds} s`,
    deliveries: fired.total,
    rate: (fired.total / windowMs) * 1000,
    p50Ms: quantile(result.latencies, 0.5),
    p99Ms: quantile(result.latencies, 0.99),
    cpuUsPerDelivery: (cpu.serversMs * 1000) / fired.total,
    problems: result.problems,
    notes: [
      `(c) ${setupLabel(setup)}: ${fired.total} events fired in ${fired.seconds.toFixed(2)} s (${Math.round(fired.total / fired.seconds)} events/s offered); latency max ${quantile(result.latencies, 1).toFixed(0)} ms, p90 ${quantile(result.latencies, 0.9).toFixed(0)} ms; ${cpu.note}`,
    ],
  };
}

/** A `bun --cpu-prof` pass of the server(s) during scenario (b); returns the profile files. */
export async function profile(
  receivers: Receivers,
  options: FanoutOptions,
  setup: Setup,
): Promise<string[]> {
  const dir = join(WORK_DIR, "fanout-profile");
  rmSync(dir, { recursive: true, force: true });
  log(`profile: (b) with the server under --cpu-prof`);
  const bunFlags = ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${dir}`];
  const server = await Sendeasy.start(receivers, 3, setup, { bunFlags });
  try {
    await server.events(0, options.events, CREATE_IN_FLIGHT, 3);
    await receivers.waitFor(options.events * 3, 120_000);
  } finally {
    await server.stop();
    await receivers.reset();
  }
  return readdirSync(dir).map((file) => join(dir, file));
}
