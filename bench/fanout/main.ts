/**
 * The fan-out benchmark's command line, runs, tables and target lines (bench/README.md#fan-out).
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
  setupLabel,
} from "../shared/backend.ts";
import { loadNote, loadNow, pct } from "../shared/load.ts";
import { printProfile } from "../shared/profile_report.ts";
import { fmt, type Row } from "./analyse.ts";
import { scenarioDrain } from "./drain.ts";
import { scenarioD } from "./fairness.ts";
import { profile, RATE_PER_SECOND, scenarioC } from "./latency.ts";
import { Receivers } from "./receivers.ts";
import {
  type FanoutOptions,
  loopA,
  loopsB,
  type Measured,
  scenarioA,
  scenarioB,
  WORKER_PER_DESTINATION,
} from "./scenarios.ts";

const GOAL = { shareOfLoop: 0.5, p99Ms: 50, fairP99Ms: 1_000 };

function parseArgs(
  argv: string[],
): FanoutOptions & { backend: BackendChoice; fairnessOnly: boolean } {
  const options = {
    rounds: 20,
    events: 10_000,
    warmupEvents: 300,
    latencySeconds: 5,
    fairnessSeconds: 20,
    fairnessOnly: false,
    profile: false,
    backend: defaultChoice(),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const used = parseBackendArg(argv, i, options.backend);
    if (used > 0) i += used - 1;
    else if (arg === "--quick")
      Object.assign(options, { rounds: 8, events: 2_000, latencySeconds: 2, fairnessSeconds: 8 });
    else if (arg === "--fairness") options.fairnessOnly = true;
    else if (arg === "--profile") options.profile = true;
    else {
      console.error(`unknown argument ${arg}; see bench/README.md`);
      process.exit(1);
    }
  }
  checkChoice(options.backend);
  if (options.backend.matrix && options.profile) {
    console.error("--profile needs one setup: use it with --backend, not --matrix");
    process.exit(1);
  }
  return options;
}

const share = (row: Row, base: Row | undefined) =>
  base === undefined ? "" : pct(row.rate / base.rate);

function table(rows: Row[], loops: Map<string, Row>): string {
  const lines = [
    "| scenario | deliveries | deliveries/s | % of plain loop | p50 ms | p99 ms | CPU µs/delivery | problems |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const row of rows) {
    const base = row.baseline === undefined ? undefined : loops.get(row.baseline);
    lines.push(
      `| ${row.label} | ${row.deliveries} | ${Math.round(row.rate)} | ${share(row, base)} | ${fmt(row.p50Ms)} | ${fmt(row.p99Ms)} | ${fmt(row.cpuUsPerDelivery ?? Number.NaN)} | ${row.problems.join(", ")} |`,
    );
  }
  return lines.join("\n");
}

/** Every scenario of one setup, in the table's order, with the rows the targets read. */
async function measureSingle(receivers: Receivers, options: FanoutOptions, setup: Setup) {
  const a = await scenarioA(receivers, options, setup);
  const aLoop = await loopA(receivers, a.requests, options);
  const b = await scenarioB(receivers, options, setup);
  const bLoops = await loopsB(receivers, b.requests, options, [0, WORKER_PER_DESTINATION]);
  const [bLoop] = bLoops;
  if (bLoop === undefined) throw new Error("the (b) loop did not run");
  const drain = await scenarioDrain(receivers, options, setup);
  const c = await scenarioC(receivers, options, setup);
  const d = await scenarioD(receivers, options, setup);
  const loops = new Map<string, Row>([
    ["a-loop", aLoop],
    ["b-loop", bLoop],
  ]);
  return {
    a: a.row,
    b: b.row,
    c,
    d,
    drain: drain.worker,
    floor: drain.floor,
    rows: [
      a.row,
      aLoop,
      b.row,
      ...bLoops,
      ...(drain.floor ? [drain.floor] : []),
      drain.worker,
      c,
      d,
    ],
    loops,
  };
}

async function runSingle(options: FanoutOptions, backend: BackendChoice): Promise<void> {
  const setup = backend.setup;
  const loadBefore = loadNow();
  const started = performance.now();
  const receivers = await Receivers.start();
  let measured: Awaited<ReturnType<typeof measureSingle>>;
  let profiles: string[] = [];
  try {
    measured = await measureSingle(receivers, options, setup);
    if (options.profile) profiles = await profile(receivers, options, setup);
  } finally {
    await receivers.target.stop();
  }
  const { a, b, c, d, rows, loops } = measured;
  const loadAfter = loadNow();

  console.log(
    `\n## Webhook fan-out benchmark (${setupLabel(setup)}, ${options.events} events in (b), ${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
  console.log(table(rows, loops));
  console.log(
    "\np50/p99: event `createdAt` → receipt for Sendeasy rows; request → answer for the loop rows.",
  );
  for (const row of rows) for (const note of row.notes) console.log(`- ${note}`);
  console.log(loadNote(loadBefore, loadAfter, 1.5));

  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const shareOk = (row: Row) => {
    const base = loops.get(row.baseline ?? "");
    return (
      base !== undefined &&
      row.rate / base.rate >= GOAL.shareOfLoop &&
      row.problems.length === 0 &&
      base.problems.length === 0
    );
  };
  const aOk = shareOk(a);
  const bOk = shareOk(b);
  const cOk = c.p99Ms <= GOAL.p99Ms && c.problems.length === 0;
  const dOk = fairOk(d);
  const shareOf = (row: Row) => share(row, loops.get(row.baseline ?? ""));
  console.log(
    `\nTarget ≥ ${pct(GOAL.shareOfLoop)} of the plain loop: (a) ${verdict(aOk)} (${shareOf(a)}), (b) ${verdict(bOk)} (${shareOf(b)})`,
  );
  if (measured.floor !== undefined) {
    console.log(
      `  the durable floor drained (b′)'s deliveries at ${shareOf(measured.floor)} of the plain loop; Sendeasy's worker alone at ${shareOf(measured.drain)}, ${pct(measured.drain.rate / measured.floor.rate)} of the floor`,
    );
  }
  console.log(
    `Target p99 ≤ ${GOAL.p99Ms} ms at ${RATE_PER_SECOND} events/s: ${verdict(cOk)} (p99 ${fmt(c.p99Ms)} ms)`,
  );
  console.log(fairLine(d));
  console.log(`\nSummary: ${verdict(aOk && bOk && cOk && dOk)}`);
  if (profiles.length > 0) await printProfile("CPU profile of the server in (b)", profiles);
}

const fairOk = (d: Row): boolean => d.p99Ms <= GOAL.fairP99Ms && d.problems.length === 0;

function fairLine(d: Row): string {
  return `Target p99 ≤ ${GOAL.fairP99Ms} ms for company B while company A's receivers hang: ${fairOk(d) ? "PASS" : "FAIL"} (p99 ${fmt(d.p99Ms)} ms)`;
}

/** `--fairness`: (d) alone, on one setup. */
async function runFairness(options: FanoutOptions, backend: BackendChoice): Promise<void> {
  const loadBefore = loadNow();
  const receivers = await Receivers.start();
  let d: Row;
  try {
    d = await scenarioD(receivers, options, backend.setup);
  } finally {
    await receivers.target.stop();
  }
  console.log(`\n## Fair delivery (${setupLabel(backend.setup)}, bun ${Bun.version})\n`);
  console.log(table([d], new Map()));
  for (const note of d.notes) console.log(`- ${note}`);
  console.log(loadNote(loadBefore, loadNow(), 1.5));
  console.log(fairLine(d));
}

/** Three cells of the matrix table: rate (with % of the loop), p50, p99. */
function cells(row: Row, loop?: Row): string {
  const rate = `${Math.round(row.rate)}${loop ? ` (${share(row, loop)})` : ""}`;
  return `${rate} | ${fmt(row.p50Ms)} | ${fmt(row.p99Ms)}`;
}

async function runMatrix(options: FanoutOptions): Promise<void> {
  const loadBefore = loadNow();
  const started = performance.now();
  const receivers = await Receivers.start();
  const a: Measured[] = [];
  const b: Measured[] = [];
  let loops: [Row, Row];
  try {
    for (const setup of MATRIX) a.push(await scenarioA(receivers, options, setup));
    const aLoop = await loopA(receivers, (a[0] as Measured).requests, options);
    for (const setup of MATRIX) b.push(await scenarioB(receivers, options, setup));
    const [bLoop] = await loopsB(receivers, (b[0] as Measured).requests, options, [0]);
    loops = [aLoop, bLoop as Row];
  } finally {
    await receivers.target.stop();
  }
  const loadAfter = loadNow();
  const webhooksA = 50;
  const lines = [
    `| setup | (a) 1 × ${webhooksA}: deliveries/s (% of loop) | p50 ms | p99 ms | (b) ${options.events} × 3: deliveries/s (% of loop) | p50 ms | p99 ms | problems |`,
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    `| plain fetch loop, 64 in flight (reference) | ${cells(loops[0])} | ${cells(loops[1])} | ${[...loops[0].problems, ...loops[1].problems].join(", ")} |`,
  ];
  MATRIX.forEach((setup, i) => {
    const rowA = (a[i] as Measured).row;
    const rowB = (b[i] as Measured).row;
    const problems = [
      ...rowA.problems.map((p) => `(a) ${p}`),
      ...rowB.problems.map((p) => `(b) ${p}`),
    ];
    lines.push(
      `| Sendeasy — ${setupLabel(setup)} | ${cells(rowA, loops[0])} | ${cells(rowB, loops[1])} | ${problems.join(", ")} |`,
    );
  });
  console.log(
    `\n## Webhook fan-out benchmark, backend matrix (${options.rounds} rounds in (a), ${options.events} events in (b), ${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
  console.log(lines.join("\n"));
  console.log(
    "\np50/p99: event `createdAt` → receipt for Sendeasy rows; request → answer for the loop rows. (a) rate = 50 / median(event → its last receipt); (b) rate = 3N / (first event → last receipt), event creation over the API included.",
  );
  for (const { row } of [...a, ...b]) for (const note of row.notes) console.log(`- ${note}`);
  console.log(loadNote(loadBefore, loadAfter, 1.5));
}

async function main(): Promise<void> {
  const { backend, fairnessOnly, ...options } = parseArgs(Bun.argv.slice(2));
  await requireServices(backend.matrix ? MATRIX : [backend.setup]);
  if (backend.matrix) await runMatrix(options);
  else if (fairnessOnly) await runFairness(options, backend);
  else await runSingle(options, backend);
}

await main();
