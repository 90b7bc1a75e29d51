/**
 * Send benchmark: `POST /api/integration/generic` (SMS token, sandbox provider, SQLite in a
 * temp dir, logs silent, rate limit effectively off) against two baselines, in one run.
 *
 * Run (needs Debian's `wrk`: `apt-get update && apt-get install -y wrk`):
 *
 *     bun bench/send.ts                   # 5 s per cell
 *     bun bench/send.ts --quick           # 2 s per cell
 *     bun bench/send.ts --duration 10s    # any wrk duration
 *     bun bench/send.ts --profile         # also a `bun --cpu-prof` pass of Sendeasy at 64 conns
 *     bun bench/send.ts --mem-requests 100000   # size of the memory phase (default 100 000)
 *
 * How it works: each target (`bench/_targets/`) runs in its own Bun process: (a) `bare`, a bare
 * `Bun.serve` answering the same 200 JSON; (b) `elysia`, a bare Elysia route validating the
 * body with the TypeBox SMS schema; and `sendeasy`, the real `startServer`. Load comes from a
 * separate `wrk -t1` process (2 cores here: one for wrk, one for the single-process server)
 * with a Lua script for the POST. Each target is warmed up at 64 connections, then measured
 * at 1, 16 and 64 connections, the targets interleaved per connection count (this machine is
 * shared: interleaving spreads outside noise over all targets; rerun when numbers look odd).
 *
 * How to read it: the table gives req/s and wrk's p50/p99 latency per target × connections;
 * "% of bare Elysia" compares Sendeasy with (b) at the same connection count; "errors" counts
 * non-2xx responses and socket errors (any makes the row invalid). Then:
 * - the target line: Sendeasy at 64 connections must reach ≥ 50 % of bare Elysia's req/s with
 *   p99 ≤ 10 ms;
 * - the memory line: a fresh Sendeasy process is warmed up, then sent `--mem-requests` sends;
 *   its VmRSS (`/proc/<pid>/status`) at warm-up end and at the end, growth > 20 % fails. The
 *   numbers after a forced full GC (`Bun.gc(true)`) are printed too, to tell a leak from lazy
 *   collection;
 * - the summary line: PASS only if both hold. The exit code is 0 whenever the bench ran.
 *
 * @module
 */
import { readdirSync, rmSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { rssBytes, startTarget, type Target } from "./_proc.ts";
import {
  requireWrk,
  runWrk,
  WORK_DIR,
  type WrkRequest,
  type WrkResult,
  writeScript,
} from "./_wrk.ts";

const CONNECTIONS = [1, 16, 64] as const;
const TARGETS = ["bare", "elysia", "sendeasy"] as const;
type TargetName = (typeof TARGETS)[number];
const LABELS: Record<TargetName, string> = {
  bare: "bare Bun.serve",
  elysia: "bare Elysia + TypeBox",
  sendeasy: "Sendeasy",
};
const PATH = "/api/integration/generic";
const BODY = JSON.stringify({ to: "+5511999999999", body: "Your code: 123456" });
const GOAL = { shareOfElysia: 0.5, p99Ms: 10, rssGrowth: 0.2 };

interface Options {
  duration: string;
  warmup: string;
  profile: boolean;
  memRequests: number;
  memWarmup: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    duration: "5s",
    warmup: "2s",
    profile: false,
    memRequests: 100_000,
    memWarmup: 20_000,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--quick") Object.assign(options, { duration: "2s", warmup: "1s" });
    else if (arg === "--profile") options.profile = true;
    else if (arg === "--duration" && argv[i + 1] !== undefined)
      options.duration = String(argv[++i]);
    else if (arg === "--mem-requests") options.memRequests = Number(argv[++i]);
    else {
      console.error(`unknown argument ${arg}; see the header of bench/send.ts`);
      process.exit(1);
    }
  }
  if (!/^\d+(s|m)$/.test(options.duration)) {
    console.error(`--duration must look like 5s or 1m, got ${options.duration}`);
    process.exit(1);
  }
  if (!(options.memRequests > 0)) {
    console.error("--mem-requests must be a positive number");
    process.exit(1);
  }
  return options;
}

/** The same request for every target; the baselines ignore the token. */
function requestFor(target: Target): WrkRequest {
  return {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${target.token ?? "se_baseline_ignores_this"}`,
    },
    body: BODY,
  };
}

/** One request before the load, so a broken target fails loudly instead of measuring 4xx. */
async function preflight(target: Target): Promise<void> {
  const req = requestFor(target);
  const res = await fetch(target.url + PATH, {
    method: req.method,
    headers: req.headers,
    body: req.body,
  });
  const text = await res.text();
  if (res.status !== 200 || !text.includes('"status":"sent"')) {
    throw new Error(`${target.name} answered ${res.status} to the preflight send: ${text}`);
  }
}

type Cell = { target: TargetName; connections: number; result: WrkResult };

/**
 * Starts every target, warms each up, then measures the cells interleaved (for each connection
 * count, each target in turn), so a burst of noise from elsewhere on the machine does not land
 * on one target only. Idle targets cost nothing while another is measured.
 */
async function measureAll(wrk: string, options: Options): Promise<Cell[]> {
  const started: Target[] = [];
  try {
    for (const name of TARGETS) started.push(await startTarget(name));
    const runs = await Promise.all(
      started.map(async (target) => {
        await preflight(target);
        const script = await writeScript(target.name, requestFor(target));
        return { name: target.name as TargetName, url: target.url + PATH, script };
      }),
    );
    for (const { name, url, script } of runs) {
      process.stderr.write(`warm-up ${LABELS[name]}: ${options.warmup} @64\n`);
      await runWrk({ wrk, url, script, connections: 64, duration: options.warmup });
    }
    const cells: Cell[] = [];
    for (const connections of CONNECTIONS) {
      for (const { name, url, script } of runs) {
        process.stderr.write(`measure ${LABELS[name]}: ${options.duration} @${connections}\n`);
        const result = await runWrk({ wrk, url, script, connections, duration: options.duration });
        cells.push({ target: name, connections, result });
      }
    }
    return cells.sort(
      (a, b) =>
        TARGETS.indexOf(a.target) - TARGETS.indexOf(b.target) || a.connections - b.connections,
    );
  } finally {
    for (const target of started) await target.stop();
  }
}

interface MemoryResult {
  rssWarm: number;
  rssEnd: number;
  gcWarm: number;
  gcEnd: number;
  sent: number;
  errors: number;
  rps: number;
  stats: Record<string, unknown>;
}

const settle = (ms: number) => Bun.sleep(ms);

async function measureMemory(wrk: string, options: Options): Promise<MemoryResult> {
  const target = await startTarget("sendeasy");
  try {
    await preflight(target);
    const url = target.url + PATH;
    const run = async (count: number) => {
      const script = await writeScript(`mem-${count}`, requestFor(target), count);
      return runWrk({ wrk, url, script, connections: 64, duration: "10m" });
    };
    process.stderr.write(`memory: warm-up ${options.memWarmup} sends`);
    const warm = await run(options.memWarmup);
    await settle(1000); // the sandbox's delayed "delivered" reports land
    const rssWarm = rssBytes(target.pid);
    const gcWarm = Number((await target.command("gc")).rss);
    process.stderr.write(`, then ${options.memRequests} sends\n`);
    const main = await run(options.memRequests);
    await settle(1000);
    const rssEnd = rssBytes(target.pid);
    const gcEnd = Number((await target.command("gc")).rss);
    const stats = await target.command("stats");
    const errors = warm.non2xx + warm.socketErrors + main.non2xx + main.socketErrors;
    return { rssWarm, rssEnd, gcWarm, gcEnd, sent: main.requests, errors, rps: main.rps, stats };
  } finally {
    await target.stop();
  }
}

/** A `bun --cpu-prof --cpu-prof-md` pass of Sendeasy at 64 connections; returns the files. */
async function profile(wrk: string, options: Options): Promise<string[]> {
  const dir = join(WORK_DIR, "profile");
  rmSync(dir, { recursive: true, force: true });
  const flags = ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${dir}`];
  const target = await startTarget("sendeasy", flags);
  try {
    await preflight(target);
    const script = await writeScript("profile", requestFor(target));
    const url = target.url + PATH;
    process.stderr.write(`profile: Sendeasy under --cpu-prof, ${options.duration} @64\n`);
    await runWrk({ wrk, url, script, connections: 64, duration: options.warmup });
    await runWrk({ wrk, url, script, connections: 64, duration: options.duration });
  } finally {
    await target.stop();
  }
  return readdirSync(dir).map((file) => join(dir, file));
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const signedPct = (ratio: number) => `${ratio >= 0 ? "+" : ""}${pct(ratio)}`;

function table(cells: Cell[]): string {
  const elysia = new Map(
    cells.filter((c) => c.target === "elysia").map((c) => [c.connections, c.result.rps]),
  );
  const rows = [
    "| target | conns | req/s | p50 ms | p99 ms | % of bare Elysia | errors |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const { target, connections, result } of cells) {
    const base = elysia.get(connections);
    const share = target === "sendeasy" && base ? pct(result.rps / base) : "";
    const errors = result.non2xx + result.socketErrors;
    rows.push(
      `| ${LABELS[target]} | ${connections} | ${Math.round(result.rps)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${share} | ${errors} |`,
    );
  }
  return rows.join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(Bun.argv.slice(2));
  const wrk = requireWrk();
  const wrkVersion = Bun.spawnSync([wrk, "--version"]).stdout.toString().split(" [")[0] ?? "";

  // Each part is printed as soon as it is measured, so a later failure loses nothing.
  const loadBefore = loadavg()[0] ?? 0;
  const cells = await measureAll(wrk, options);
  const loadAfterTable = loadavg()[0] ?? 0;
  console.log(
    `\n## Send benchmark (${options.duration} per cell, wrk -t1, ${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${wrkVersion.trim()})\n`,
  );
  console.log(table(cells));
  // wrk plus the server under test keep ~2 cores busy: more than that is someone else's load.
  if (loadBefore > 1 || loadAfterTable > 3) {
    console.log(
      `\n> Warning: the machine was busy (1-min load average ${loadBefore.toFixed(1)} before, ${loadAfterTable.toFixed(1)} after the table, ${navigator.hardwareConcurrency} cores). Rerun on a quiet machine before trusting these numbers.`,
    );
  }

  const at64 = (name: TargetName) => cells.find((c) => c.target === name && c.connections === 64);
  const se = at64("sendeasy")?.result;
  const el = at64("elysia")?.result;
  if (se === undefined || el === undefined) throw new Error("missing the 64-connection cells");
  const share = se.rps / el.rps;
  const sendeasyErrors = cells
    .filter((c) => c.target === "sendeasy")
    .reduce((sum, c) => sum + c.result.non2xx + c.result.socketErrors, 0);
  const speedOk = share >= GOAL.shareOfElysia && se.p99Ms <= GOAL.p99Ms && sendeasyErrors === 0;
  console.log(
    `\nTarget @64 conns (≥ ${pct(GOAL.shareOfElysia)} of bare Elysia req/s, p99 ≤ ${GOAL.p99Ms} ms): ${speedOk ? "PASS" : "FAIL"} — ${pct(share)} of bare Elysia, p99 ${se.p99Ms.toFixed(2)} ms${sendeasyErrors > 0 ? `, ${sendeasyErrors} errors` : ""}`,
  );

  const memory = await measureMemory(wrk, options);
  const growth = (memory.rssEnd - memory.rssWarm) / memory.rssWarm;
  const gcGrowth = (memory.gcEnd - memory.gcWarm) / memory.gcWarm;
  const memoryOk =
    growth <= GOAL.rssGrowth && memory.errors === 0 && memory.sent >= options.memRequests;
  console.log(
    `Memory (${memory.sent} sends @64 after ${options.memWarmup} warm-up, ${Math.round(memory.rps)} req/s): VmRSS ${mib(memory.rssWarm)} → ${mib(memory.rssEnd)} (${signedPct(growth)}; > ${pct(GOAL.rssGrowth)} fails): ${memoryOk ? "PASS" : "FAIL"}${memory.errors > 0 ? `, ${memory.errors} errors` : ""}`,
  );
  console.log(
    `  after Bun.gc(true): ${mib(memory.gcWarm)} → ${mib(memory.gcEnd)} (${signedPct(gcGrowth)}); SQLite group commit: ${JSON.stringify(memory.stats.sqliteWrites)}`,
  );
  console.log(
    `\nSummary: ${speedOk && memoryOk ? "PASS" : "FAIL"} (throughput/latency ${speedOk ? "PASS" : "FAIL"}, memory ${memoryOk ? "PASS" : "FAIL"})`,
  );

  if (options.profile) {
    const profiles = await profile(wrk, options);
    console.log(`\nCPU profile of Sendeasy @64: ${profiles.join(", ")}`);
    const markdown = profiles.find((file) => file.endsWith(".md"));
    const top = markdown && (await Bun.file(markdown).text()).match(/^\*\*Top 10:\*\*.*$/m);
    if (top) console.log(top[0]);
  }
}

await main();
