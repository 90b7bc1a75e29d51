/**
 * Runs the fan-out's floor and plain-loop processes and reads what they print
 * (bench/README.md#the-durable-floors).
 *
 * @module
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { WORK_DIR } from "../shared/wrk.ts";
import type { LoopResult } from "./loop.ts";
import type { CapturedRequest } from "./receiver.ts";
import type { Receivers } from "./receivers.ts";

/** What `floor.ts` printed. */
export interface FloorResult {
  deliveries: number;
  errors: number;
  cpuUs: number;
}

/**
 * Runs the durable floor (`floor.ts`) on the SQLite file at `path`, with `inFlight`
 * requests out at most, and returns what it printed once it drained every due delivery.
 */
export async function runFloor(path: string, inFlight: number): Promise<FloorResult> {
  const proc = Bun.spawn(
    [process.execPath, join(import.meta.dir, "floor.ts"), path, String(inFlight)],
    { stdout: "pipe", stderr: "inherit" },
  );
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  if (code !== 0) throw new Error(`durable floor exited ${code}: ${out}`);
  return JSON.parse(out) as FloorResult;
}

/** Runs the plain loop process over `requests` (replayed to the same receiver ports). */
export async function runLoop(
  receivers: Receivers,
  name: string,
  requests: CapturedRequest[],
  options: { inFlight: number; perDestination: number; rounds: number; warmup: number },
): Promise<LoopResult> {
  mkdirSync(WORK_DIR, { recursive: true });
  const file = join(WORK_DIR, `fanout-${name}.json`);
  const jobs = requests.map(({ port, headers, body }) => ({
    url: receivers.url(receivers.ports.indexOf(port)),
    headers,
    body,
  }));
  await Bun.write(file, JSON.stringify(jobs));
  const proc = Bun.spawn(
    [
      process.execPath,
      join(import.meta.dir, "loop.ts"),
      file,
      String(options.inFlight),
      String(options.perDestination),
      String(options.rounds),
      String(options.warmup),
    ],
    { stdout: "pipe", stderr: "inherit" },
  );
  const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
  if (code !== 0) throw new Error(`plain loop exited ${code}: ${out}`);
  const result = JSON.parse(out) as LoopResult;
  // Everything it posted must have arrived, then the receivers start clean again.
  const expected = options.warmup + options.rounds * jobs.length;
  const arrived = await receivers.waitFor(expected, 5_000);
  if (arrived !== expected) {
    result.errors += Math.abs(expected - arrived);
  }
  await receivers.reset();
  rmSync(file, { force: true });
  return result;
}
