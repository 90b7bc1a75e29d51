/**
 * Send benchmark: `POST /api/integration/generic` (SMS token, sandbox provider, logs silent,
 * rate limit effectively off) against two baselines, in one run, on SQLite or Postgres + Redis.
 *
 * Run (needs Debian's `wrk`: `apt-get update && apt-get install -y wrk`):
 *
 *     bun bench/send.ts                   # 5 s per cell, SQLite embedded
 *     bun bench/send.ts --quick           # 2 s per cell
 *     bun bench/send.ts --duration 10s    # any wrk duration
 *     bun bench/send.ts --profile         # also a `bun --cpu-prof` pass of Sendeasy at 64 conns
 *     bun bench/send.ts --mem-requests 100000   # size of the memory phase (default 100 000)
 *     bun bench/send.ts --backend postgres [--instances 2]   # Postgres + Redis (default sqlite, 1)
 *     bun bench/send.ts --matrix [--quick]   # every backend setup in one run, one table
 *     bun bench/send.ts --channel email-smtp [--quick]   # e-mail: SMTP to a local relay beside the sandbox
 *     bun bench/send.ts --async [--quick]   # sync vs Prefer: respond-async @64, and the queue's drain rate
 *
 * How it works: each target (`bench/_targets/`) runs in its own Bun process: (a) `bare`, a bare
 * `Bun.serve` answering the same 200 JSON; (b) `elysia`, a bare Elysia route validating the
 * body with the TypeBox SMS schema; (c) `floor`, the durable floor: (b) plus the writes the
 * send contract makes durable (the message and its `message.sent` event committed before the
 * answer, the `delivered` status and its event 50 ms later) with the same group commit on a
 * writer thread, on SQLite, and nothing else (see `_targets/floor.ts`); and `sendeasy`, the
 * real `startServer` on the backend
 * `bench/_backend.ts` provisions: SQLite in a fresh temp dir, or a fresh Postgres database
 * (created and dropped by the bench) with Redis under a key prefix of its own. With
 * `--instances 2`, two Sendeasy processes share that database and Redis, and wrk spreads the
 * load over both: one wrk process, one thread per instance (`-t2`), each thread's address set
 * by the Lua `setup()`, so each instance gets half the connections and wrk merges the latency
 * percentiles exactly (at 1 connection, only the first instance is loaded). Otherwise load
 * comes from a separate `wrk -t1` process (2 cores here: one for wrk, one for a single-process
 * server) with a Lua script for the POST. Each target is warmed up at 64 connections, then
 * measured at 1, 16 and 64 connections, the targets interleaved per connection count (this
 * machine is shared: interleaving spreads outside noise over all targets; rerun when numbers
 * look odd); after each Sendeasy cell, 1 s for the sandbox's delayed status reports to land.
 *
 * How to read it: the table gives req/s and wrk's p50/p99 latency per target × connections;
 * "% of bare Elysia" compares the floor and Sendeasy with (b) at the same connection count, "% of
 * floor" Sendeasy with (c): the floor's share of bare Elysia is the most any server that keeps
 * the contract's durability reached on this machine, and Sendeasy's share of the floor is what
 * its own work (tokens, rate limit, provider, ids, webhooks, …) leaves of it; "CPU µs/req" is
 * the target's CPU time (every thread, every instance; for Sendeasy including the delayed
 * status reports that land after the cell) per request, which unlike req/s does not move with
 * the rest of the machine's load; "errors" counts non-2xx responses and socket errors (any
 * makes the row invalid). Then:
 * - the target line: Sendeasy at 64 connections must reach ≥ 50 % of bare Elysia's req/s with
 *   p99 ≤ 10 ms; it also says where the floor was;
 * - the memory line: a fresh Sendeasy (on the chosen setup) is warmed up, then sent
 *   `--mem-requests` sends; its VmRSS (`/proc/<pid>/status`, summed over the instances) at
 *   warm-up end and at the end, growth > 20 % fails. The numbers after a forced full GC
 *   (`Bun.gc(true)`) are printed too, to tell a leak from lazy collection;
 * - the summary line: PASS only if both hold. The exit code is 0 whenever the bench ran.
 *
 * `--matrix` starts the three baselines and Sendeasy on SQLite embedded (1 instance), Postgres +
 * Redis (1 instance) and Postgres + Redis (2 instances), all in the same run, measures each at
 * 64 connections only (interleaved, after a warm-up each) and prints one markdown table for the
 * README: req/s, p50, p99, % of bare Elysia and % of the floor per setup. No memory phase, no target line.
 *
 * @module
 */
import { loadavg } from "node:os";
import {
  type BackendChoice,
  checkChoice,
  defaultChoice,
  MATRIX,
  parseBackendArg,
  requireServices,
  type Setup,
} from "../shared/backend.ts";
import { printProfile } from "../shared/profile_report.ts";
import { requireWrk } from "../shared/wrk.ts";
import { runAsync } from "./async.ts";
import { runEmailSmtp } from "./email_smtp.ts";
import {
  type Cell,
  measureCells,
  measureMemory,
  profile,
  type System,
  startBaseline,
  startSendeasy,
} from "./measure.ts";

const CONNECTIONS = [1, 16, 64] as const;
const GOAL = { shareOfElysia: 0.5, p99Ms: 10, rssGrowth: 0.2 };

interface Options {
  duration: string;
  warmup: string;
  profile: boolean;
  memRequests: number;
  memWarmup: number;
  backend: BackendChoice;
  /** `email-smtp`: the e-mail bench of `_send_email_smtp.ts` instead of the SMS one. */
  channel: "sms" | "email-smtp";
  /** `--async`: sync vs `Prefer: respond-async`, and the queue's drain (`_send_async.ts`). */
  async: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    duration: "5s",
    warmup: "2s",
    profile: false,
    memRequests: 100_000,
    memWarmup: 20_000,
    backend: defaultChoice(),
    channel: "sms",
    async: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const used = parseBackendArg(argv, i, options.backend);
    if (used > 0) i += used - 1;
    else if (arg === "--quick") Object.assign(options, { duration: "2s", warmup: "1s" });
    else if (arg === "--profile") options.profile = true;
    else if (arg === "--async") options.async = true;
    else if (arg === "--duration" && argv[i + 1] !== undefined)
      options.duration = String(argv[++i]);
    else if (arg === "--mem-requests") options.memRequests = Number(argv[++i]);
    else if (arg === "--channel" && argv[i + 1] === "email-smtp") {
      options.channel = "email-smtp";
      i++;
    } else {
      console.error(`unknown argument ${arg}; see the header of bench/send.ts`);
      process.exit(1);
    }
  }
  checkChoice(options.backend);
  if (options.backend.matrix && options.profile) {
    console.error("--profile needs one setup: use it with --backend, not --matrix");
    process.exit(1);
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

/** Starts the baselines and Sendeasy on each setup; stops them all whatever happens. */
async function withSystems<T>(
  setups: readonly Setup[],
  body: (systems: System[]) => Promise<T>,
): Promise<T> {
  const systems: System[] = [];
  try {
    for (const kind of ["bare", "elysia", "floor"] as const) {
      systems.push(await startBaseline(kind));
    }
    for (const setup of setups) systems.push(await startSendeasy(setup));
    return await body(systems);
  } finally {
    for (const system of systems) await system.stop();
  }
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
const signedPct = (ratio: number) => `${ratio >= 0 ? "+" : ""}${pct(ratio)}`;
const errorsOf = (cell: Cell) => cell.result.non2xx + cell.result.socketErrors;

/** req/s of each cell of `kind`, by connection count. */
const ratesOf = (cells: Cell[], kind: System["kind"]) =>
  new Map(cells.filter((c) => c.system.kind === kind).map((c) => [c.connections, c.result.rps]));

/** The markdown table: one row per cell; `matrix` leaves out the connections column. */
function table(cells: Cell[], matrix: boolean): string {
  const elysia = ratesOf(cells, "elysia");
  const floor = ratesOf(cells, "floor");
  const share = (cell: Cell, of: Map<number, number>, kinds: readonly System["kind"][]) => {
    const base = of.get(cell.connections);
    return kinds.includes(cell.system.kind) && base ? pct(cell.result.rps / base) : "";
  };
  const rows = matrix
    ? [
        "| setup | req/s @64 | p50 ms | p99 ms | % of bare Elysia | % of floor | CPU µs/req | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ]
    : [
        "| target | conns | req/s | p50 ms | p99 ms | % of bare Elysia | % of floor | CPU µs/req | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ];
  for (const cell of cells) {
    const { system, connections, result } = cell;
    const ofElysia = share(cell, elysia, ["floor", "sendeasy"]);
    const ofFloor = share(cell, floor, ["sendeasy"]);
    const conns = matrix ? "" : ` ${connections} |`;
    rows.push(
      `| ${system.label} |${conns} ${Math.round(result.rps)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${ofElysia} | ${ofFloor} | ${cell.cpuPerRequestUs.toFixed(1)} | ${errorsOf(cell)} |`,
    );
  }
  return rows.join("\n");
}

function title(options: Options, wrkVersion: string): string {
  const what = options.backend.matrix ? "backend matrix @64 connections, " : "";
  return `\n## Send benchmark (${what}${options.duration} per cell, wrk -t1 per instance, ${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${wrkVersion})\n`;
}

/** wrk plus one server keep ~2 cores busy: more than that is someone else's load. */
function loadWarning(before: number, after: number): string | null {
  if (before <= 1 && after <= 3) return null;
  return `\n> Warning: the machine was busy (1-min load average ${before.toFixed(1)} before, ${after.toFixed(1)} after the table, ${navigator.hardwareConcurrency} cores). Rerun on a quiet machine before trusting these numbers.`;
}

async function runMatrix(wrk: string, options: Options, wrkVersion: string): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const cells = await withSystems(MATRIX, (systems) => measureCells(wrk, systems, [64], options));
  const loadAfter = loadavg()[0] ?? 0;
  console.log(title(options, wrkVersion));
  console.log(table(cells, true));
  console.log(
    "\nTwo instances: one wrk process, one thread per instance (32 connections each), percentiles merged by wrk.",
  );
  console.log(
    loadWarning(loadBefore, loadAfter) ??
      `\n1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (${navigator.hardwareConcurrency} cores).`,
  );
}

async function runSingle(wrk: string, options: Options, wrkVersion: string): Promise<void> {
  const setup = options.backend.setup;
  // Each part is printed as soon as it is measured, so a later failure loses nothing.
  const loadBefore = loadavg()[0] ?? 0;
  const cells = await withSystems([setup], (systems) =>
    measureCells(wrk, systems, CONNECTIONS, options),
  );
  const loadAfterTable = loadavg()[0] ?? 0;
  console.log(title(options, wrkVersion));
  console.log(table(cells, false));
  const warning = loadWarning(loadBefore, loadAfterTable);
  if (warning !== null) console.log(warning);

  const at64 = (kind: string) =>
    cells.find((c) => c.system.kind === kind && c.connections === 64)?.result;
  const se = at64("sendeasy");
  const el = at64("elysia");
  const floor = at64("floor");
  if (se === undefined || el === undefined || floor === undefined) {
    throw new Error("missing the 64-connection cells");
  }
  const share = se.rps / el.rps;
  const sendeasyErrors = cells
    .filter((c) => c.system.kind === "sendeasy")
    .reduce((sum, c) => sum + errorsOf(c), 0);
  const speedOk = share >= GOAL.shareOfElysia && se.p99Ms <= GOAL.p99Ms && sendeasyErrors === 0;
  console.log(
    `\nTarget @64 conns (≥ ${pct(GOAL.shareOfElysia)} of bare Elysia req/s, p99 ≤ ${GOAL.p99Ms} ms): ${speedOk ? "PASS" : "FAIL"} — ${pct(share)} of bare Elysia, p99 ${se.p99Ms.toFixed(2)} ms${sendeasyErrors > 0 ? `, ${sendeasyErrors} errors` : ""}`,
  );
  console.log(
    `  the durable floor: ${pct(floor.rps / el.rps)} of bare Elysia, p99 ${floor.p99Ms.toFixed(2)} ms; Sendeasy: ${pct(se.rps / floor.rps)} of the floor`,
  );

  const counts = { warmup: options.memWarmup, requests: options.memRequests };
  const memory = await measureMemory(wrk, setup, counts);
  const growth = (memory.rssEnd - memory.rssWarm) / memory.rssWarm;
  const gcGrowth = (memory.gcEnd - memory.gcWarm) / memory.gcWarm;
  const memoryOk =
    growth <= GOAL.rssGrowth && memory.errors === 0 && memory.sent >= options.memRequests;
  const summed = memory.instances > 1 ? `, summed over ${memory.instances} instances` : "";
  console.log(
    `Memory (${memory.sent} sends @64 after ${options.memWarmup} warm-up, ${Math.round(memory.rps)} req/s): VmRSS ${mib(memory.rssWarm)} → ${mib(memory.rssEnd)} (${signedPct(growth)}${summed}; > ${pct(GOAL.rssGrowth)} fails): ${memoryOk ? "PASS" : "FAIL"}${memory.errors > 0 ? `, ${memory.errors} errors` : ""}`,
  );
  const writes = memory.stats.storeWrites;
  const writesLabel = setup.backend === "sqlite" ? "SQLite writer" : "Postgres message batches";
  console.log(
    `  after Bun.gc(true): ${mib(memory.gcWarm)} → ${mib(memory.gcEnd)} (${signedPct(gcGrowth)})${writes ? `; ${writesLabel}${memory.instances > 1 ? " (first instance)" : ""}: ${JSON.stringify(writes)}` : ""}`,
  );
  console.log(
    `\nSummary: ${speedOk && memoryOk ? "PASS" : "FAIL"} (throughput/latency ${speedOk ? "PASS" : "FAIL"}, memory ${memoryOk ? "PASS" : "FAIL"})`,
  );

  if (options.profile) {
    await printProfile("CPU profile of Sendeasy @64", await profile(wrk, setup, options));
  }
}

async function main(): Promise<void> {
  const options = parseArgs(Bun.argv.slice(2));
  const wrk = requireWrk();
  if (options.channel === "email-smtp") {
    await runEmailSmtp(wrk, options);
    return;
  }
  await requireServices(options.backend.matrix ? MATRIX : [options.backend.setup]);
  const wrkVersion = (
    Bun.spawnSync([wrk, "--version"]).stdout.toString().split(" [")[0] ?? ""
  ).trim();
  if (options.async) await runAsync(wrk, options.backend.setup, options);
  else if (options.backend.matrix) await runMatrix(wrk, options, wrkVersion);
  else await runSingle(wrk, options, wrkVersion);
}

await main();
