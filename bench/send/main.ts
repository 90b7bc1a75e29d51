/**
 * The send benchmark's command line, runs, tables and target lines (bench/README.md#send).
 *
 * @module
 */
import {
  type BackendChoice,
  checkChoice,
  defaultChoice,
  MATRIX,
  parseBackendArg,
  requireServices,
  type Setup,
} from "../shared/backend.ts";
import { loadNote, loadNow, pct } from "../shared/load.ts";
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
/** wrk plus one server keep ~2 cores busy: a load above 1 before the table is someone else's. */
const QUIET_BEFORE = 1;
const GOAL = { shareOfElysia: 0.5, p99Ms: 10, rssGrowth: 0.2 };

interface Options {
  duration: string;
  warmup: string;
  profile: boolean;
  memRequests: number;
  memWarmup: number;
  backend: BackendChoice;
  /** `email-smtp`: the e-mail bench of `email_smtp.ts` instead of the SMS one. */
  channel: "sms" | "email-smtp";
  /** `--async`: sync vs `Prefer: respond-async`, and the queue's drain (`async.ts`). */
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
      console.error(`unknown argument ${arg}; see bench/README.md`);
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

async function runMatrix(wrk: string, options: Options, wrkVersion: string): Promise<void> {
  const loadBefore = loadNow();
  const cells = await withSystems(MATRIX, (systems) => measureCells(wrk, systems, [64], options));
  const loadAfter = loadNow();
  console.log(title(options, wrkVersion));
  console.log(table(cells, true));
  console.log(
    "\nTwo instances: one wrk process, one thread per instance (32 connections each), percentiles merged by wrk.",
  );
  console.log(loadNote(loadBefore, loadAfter, QUIET_BEFORE));
}

async function runSingle(wrk: string, options: Options, wrkVersion: string): Promise<void> {
  const setup = options.backend.setup;
  // Each part is printed as soon as it is measured, so a later failure loses nothing.
  const loadBefore = loadNow();
  const cells = await withSystems([setup], (systems) =>
    measureCells(wrk, systems, CONNECTIONS, options),
  );
  const loadAfterTable = loadNow();
  console.log(title(options, wrkVersion));
  console.log(table(cells, false));
  console.log(loadNote(loadBefore, loadAfterTable, QUIET_BEFORE));

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
