/**
 * Starts the send bench's systems and measures them: wrk cells interleaved, the memory phase, the
 * profile pass (bench/README.md#send).
 *
 * @module
 */
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { provision, type Setup, setupLabel } from "../shared/backend.ts";
import { cpuMicros } from "../shared/cpu.ts";
import { rssBytes, startTarget, type Target } from "../shared/proc.ts";
import { runWrk, WORK_DIR, type WrkRequest, type WrkResult, writeScript } from "../shared/wrk.ts";

export const PATH = "/api/integration/generic";

/** The file of a target process in `bench/send/targets/` (`bare`, `floor`, `sendeasy`, …). */
export const targetScript = (name: string): string =>
  join(import.meta.dir, "targets", `${name}.ts`);
const BODY = JSON.stringify({ to: "+5511999999999", body: "Your code: 123456" });
/**
 * After a cell of Sendeasy or the floor: their delayed "delivered" writes land before the next
 * cell.
 */
const SETTLE_MS = 1000;

/** One thing wrk loads: a baseline process, or Sendeasy on one setup (one or more instances). */
export interface System {
  /** A baseline (`bare`, `elysia`, `floor`) or `sendeasy`. */
  kind: BaselineKind | "sendeasy";
  label: string;
  /** The first instance's URL of the send route (wrk's URL). */
  url: string;
  /** The bearer token (the baselines ignore it). */
  token: string;
  targets: Target[];
  /** The instances' ports, when there are several (wrk spreads its threads over them). */
  ports?: number[];
  /** Extra request headers (`Prefer: respond-async` for the async row). */
  headers?: Record<string, string>;
  stop(): Promise<void>;
}

export const BASELINE_LABELS = {
  bare: "bare Bun.serve",
  elysia: "bare Elysia + TypeBox",
  floor: "durable floor (Elysia + the send's SQLite writes)",
};

export type BaselineKind = keyof typeof BASELINE_LABELS;

/** Whether `system` writes again after answering (the delayed `delivered` status). */
const writesLater = (system: System) => system.kind === "sendeasy" || system.kind === "floor";

export async function startBaseline(kind: BaselineKind): Promise<System> {
  const target = await startTarget(targetScript(kind));
  return {
    kind,
    label: BASELINE_LABELS[kind],
    url: target.url + PATH,
    token: "se_baseline_ignores_this",
    targets: [target],
    stop: () => target.stop(),
  };
}

/**
 * Provisions `setup`'s backend and starts its instances one after another (the first migrates
 * the database and creates the channel and token; the others reuse them). `stop()` stops them
 * and drops the backend.
 */
export async function startSendeasy(
  setup: Setup,
  bunFlags: string[] = [],
  extraEnv: Record<string, string> = {},
): Promise<System> {
  const backend = await provision(setup.backend);
  const targets: Target[] = [];
  try {
    targets.push(
      await startTarget(targetScript("sendeasy"), {
        bunFlags,
        env: { ...backend.env, ...extraEnv },
      }),
    );
    const env = { ...backend.env, BENCH_SENDEASY_SETUP: "none" };
    while (targets.length < setup.instances) {
      targets.push(await startTarget(targetScript("sendeasy"), { bunFlags, env }));
    }
  } catch (error) {
    for (const target of targets) await target.stop();
    await backend.drop();
    throw error;
  }
  const first = targets[0] as Target;
  return {
    kind: "sendeasy",
    label: `Sendeasy — ${setupLabel(setup)}`,
    url: first.url + PATH,
    token: String(first.token),
    targets,
    ...(targets.length > 1
      ? { ports: targets.map((target) => Number(new URL(target.url).port)) }
      : {}),
    stop: async () => {
      for (const target of targets) await target.stop();
      await backend.drop();
    },
  };
}

/** The same request for every system. */
function requestFor(system: System): WrkRequest {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${system.token}`,
      ...system.headers,
    },
    body: BODY,
  };
}

/** One request to every instance before the load, so a broken one fails loudly. */
export async function preflight(system: System): Promise<void> {
  const req = requestFor(system);
  for (const target of system.targets) {
    const res = await fetch(target.url + PATH, {
      method: req.method,
      headers: req.headers,
      body: req.body,
    });
    const text = await res.text();
    const queued = system.headers?.Prefer === "respond-async";
    const expected = queued ? [202, '"status":"queued"'] : [200, '"status":"sent"'];
    if (res.status !== expected[0] || !text.includes(String(expected[1]))) {
      throw new Error(`${system.label} answered ${res.status} to the preflight send: ${text}`);
    }
  }
}

export const scriptFor = (system: System, name: string, stopAfter?: number) =>
  writeScript(name, requestFor(system), {
    ...(system.ports === undefined ? {} : { ports: system.ports }),
    ...(stopAfter === undefined ? {} : { stopAfter }),
  });

/**
 * One measurement. `cpuPerRequestUs`: the system's CPU time (all instances, all threads) from
 * the cell's start until its delayed work settled, per request: unlike req/s, it does not
 * depend on what else the machine was doing.
 */
export type Cell = {
  system: System;
  connections: number;
  result: WrkResult;
  cpuPerRequestUs: number;
};

const cpuOf = (system: System) =>
  system.targets.reduce((sum, target) => sum + cpuMicros(target.pid), 0);

/**
 * Warms every system up at 64 connections, then measures the cells interleaved (for each
 * connection count, each system in turn), so a burst of noise from elsewhere on the machine
 * does not land on one system only. Idle systems cost next to nothing while another is
 * measured; after each Sendeasy cell the sandbox's delayed reports are left to land.
 */
export async function measureCells(
  wrk: string,
  systems: System[],
  connections: readonly number[],
  timing: { duration: string; warmup: string },
): Promise<Cell[]> {
  const runs = await Promise.all(
    systems.map(async (system, i) => {
      await preflight(system);
      return { system, script: await scriptFor(system, `${system.kind}-${i}`) };
    }),
  );
  for (const { system, script } of runs) {
    process.stderr.write(`warm-up ${system.label}: ${timing.warmup} @64\n`);
    await runWrk({ wrk, url: system.url, script, connections: 64, duration: timing.warmup });
    if (writesLater(system)) await Bun.sleep(SETTLE_MS);
  }
  const cells: Cell[] = [];
  for (const count of connections) {
    for (const { system, script } of runs) {
      process.stderr.write(`measure ${system.label}: ${timing.duration} @${count}\n`);
      const { duration } = timing;
      const cpuBefore = cpuOf(system);
      const result = await runWrk({ wrk, url: system.url, script, connections: count, duration });
      if (writesLater(system)) await Bun.sleep(SETTLE_MS);
      const cpuPerRequestUs = (cpuOf(system) - cpuBefore) / Math.max(1, result.requests);
      cells.push({ system, connections: count, result, cpuPerRequestUs });
    }
  }
  return cells.sort(
    (a, b) =>
      systems.indexOf(a.system) - systems.indexOf(b.system) || a.connections - b.connections,
  );
}

export interface MemoryResult {
  instances: number;
  rssWarm: number;
  rssEnd: number;
  gcWarm: number;
  gcEnd: number;
  sent: number;
  errors: number;
  rps: number;
  /** The first instance's `stats` answer. */
  stats: Record<string, unknown>;
}

/** VmRSS, and RSS after a forced full GC, summed over the instances. */
async function memoryOf(targets: Target[]): Promise<{ rss: number; gc: number }> {
  let rss = 0;
  let gc = 0;
  for (const target of targets) {
    rss += rssBytes(target.pid);
    gc += Number((await target.command("gc")).rss);
  }
  return { rss, gc };
}

/**
 * A fresh Sendeasy on `setup` is warmed up with `warmup` sends, then sent `requests` sends at 64
 * connections; its RSS (summed over the instances) at both points.
 */
export async function measureMemory(
  wrk: string,
  setup: Setup,
  counts: { warmup: number; requests: number },
): Promise<MemoryResult> {
  const system = await startSendeasy(setup);
  try {
    await preflight(system);
    const run = async (count: number) => {
      const script = await scriptFor(system, `mem-${count}`, count);
      return runWrk({ wrk, url: system.url, script, connections: 64, duration: "10m" });
    };
    process.stderr.write(`memory: warm-up ${counts.warmup} sends`);
    const warm = await run(counts.warmup);
    await Bun.sleep(SETTLE_MS);
    const atWarm = await memoryOf(system.targets);
    process.stderr.write(`, then ${counts.requests} sends\n`);
    const main = await run(counts.requests);
    await Bun.sleep(SETTLE_MS);
    const atEnd = await memoryOf(system.targets);
    const stats = await (system.targets[0] as Target).command("stats");
    return {
      instances: system.targets.length,
      rssWarm: atWarm.rss,
      rssEnd: atEnd.rss,
      gcWarm: atWarm.gc,
      gcEnd: atEnd.gc,
      sent: main.requests,
      errors: warm.non2xx + warm.socketErrors + main.non2xx + main.socketErrors,
      rps: main.rps,
      stats,
    };
  } finally {
    await system.stop();
  }
}

/** A `bun --cpu-prof --cpu-prof-md` pass of Sendeasy on `setup` at 64 connections. */
export async function profile(
  wrk: string,
  setup: Setup,
  timing: { duration: string; warmup: string },
): Promise<string[]> {
  const dir = join(WORK_DIR, "profile");
  rmSync(dir, { recursive: true, force: true });
  const flags = ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${dir}`];
  const system = await startSendeasy(setup, flags);
  try {
    await preflight(system);
    const script = await scriptFor(system, "profile");
    process.stderr.write(`profile: ${system.label} under --cpu-prof, ${timing.duration} @64\n`);
    await runWrk({ wrk, url: system.url, script, connections: 64, duration: timing.warmup });
    await runWrk({ wrk, url: system.url, script, connections: 64, duration: timing.duration });
  } finally {
    await system.stop();
  }
  return readdirSync(dir).map((file) => join(dir, file));
}
