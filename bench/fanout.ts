/**
 * Webhook fan-out benchmark (issue 5): deliveries/s from the real delivery worker to local
 * receivers, against a plain `fetch` loop posting the same bodies to the same receivers in the
 * same run, and the end-to-end latency from event to receipt at a fixed event rate.
 *
 * Run:
 *
 *     bun bench/fanout.ts             # full run (~70 s on 2 cores)
 *     bun bench/fanout.ts --quick     # smaller scenarios (~25 s)
 *     bun bench/fanout.ts --profile   # also a `bun --cpu-prof` pass of the server in (b)
 *
 * How it works — four Bun processes: this harness; the Sendeasy server (`_fanout_server.ts`:
 * `startServer` with its delivery worker, SQLite in a temp dir, `SENDEASY_LOG_LEVEL=silent`,
 * `SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true`), fresh for each scenario and started with
 * `_proc.ts`'s `startTarget`; the receivers
 * (`_fanout_receiver.ts`: 50 `Bun.serve` ports on 127.0.0.1 answering 200 at once and recording
 * `webhook-id`, arrival time and the envelope's `createdAt`); and the plain loop
 * (`_fanout_loop.ts`). The harness makes one sandbox SMS channel and general webhooks
 * (`events: ["message.received"]`, one receiver port each, so each is its own destination)
 * through the admin API, then creates events with `POST /api/admin/channels/:id/simulate-inbound`
 * (`message.received`, no provider involved).
 *
 * Scenarios:
 * - (a) 1 event × 50 webhooks: one warm-up event, then `rounds` events one after another, each
 *   awaited until its 50 deliveries arrived. Rate = 50 / median(event `createdAt` → its last
 *   receipt). Baseline: the loop posts the 50 captured requests of one event, 64 in flight, the
 *   same number of rounds (plus one warm-up), rate = 50 / median round time.
 * - (b) N events × 3 webhooks (10 000; 2 000 with `--quick`): after a 300-event warm-up, all N
 *   events are created over the API with 16 requests in flight. Rate = 3N / (first event's
 *   `createdAt` → last receipt), so it includes creating the events (same server process, same
 *   cores). Baseline: the loop posts the 3N captured requests, 64 in flight; a second loop row
 *   caps it at 4 per destination as well (the worker's own per-destination limit) for context.
 * - (b′) the worker alone, for diagnosis (no target): a server started without its worker
 *   (`FANOUT_WORKER=off`) queues the same N × 3 deliveries through the API and exits; a fresh
 *   server on the same data dir drains them. Rate = 3N / (first receipt → last receipt).
 * - (c) 500 events/s for 5 s (2 s with `--quick`) to 1 webhook, after a 1 s warm-up at the same
 *   rate: end-to-end latency.
 *
 * How to read it: the table's p50/p99 are event `createdAt` → receipt for Sendeasy rows, and
 * request → answer for the loop rows. "% of plain loop" compares each Sendeasy scenario with the
 * 64-in-flight loop of the same scenario. Targets: (a) and (b) ≥ 50 % of the plain loop; (c)
 * p99 ≤ 50 ms. A row with missing deliveries is invalid (it says so). The machine is shared:
 * the 1-min load average is printed; rerun when it is high. The notes under the table say where
 * the time went: event-creation rate, deliveries during and after event creation, SQLite commits
 * per delivery, and the CPU share of the server and receiver processes (a server well under
 * 100 % of a core while deliveries queue up is waiting, not computing). The exit code is 0
 * whenever the bench ran.
 *
 * @module
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { quantile } from "./_fanout_loop.ts";
import type { CapturedRequest, ReceiverReport } from "./_fanout_receiver.ts";
import { startTarget, type Target } from "./_proc.ts";
import { WORK_DIR } from "./_wrk.ts";

const GOAL = { shareOfLoop: 0.5, p99Ms: 50 };
const LOOP_IN_FLIGHT = 64;
/** The delivery worker's default per-destination limit (server/worker/delivery_worker.ts). */
const WORKER_PER_DESTINATION = 4;
const CREATE_IN_FLIGHT = 16;
const RATE_PER_SECOND = 500;

interface Options {
  rounds: number;
  events: number;
  warmupEvents: number;
  latencySeconds: number;
  profile: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    rounds: 20,
    events: 10_000,
    warmupEvents: 300,
    latencySeconds: 5,
    profile: false,
  };
  for (const arg of argv) {
    if (arg === "--quick") Object.assign(options, { rounds: 8, events: 2_000, latencySeconds: 2 });
    else if (arg === "--profile") options.profile = true;
    else {
      console.error(`unknown argument ${arg}; see the header of bench/fanout.ts`);
      process.exit(1);
    }
  }
  return options;
}

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

// ---------------------------------------------------------------------------------------------
// Talking to the processes

/** The receiver process's control API. */
class Receivers {
  constructor(
    readonly target: Target,
    readonly ports: number[],
  ) {}

  static async start(): Promise<Receivers> {
    const target = await startTarget("../_fanout_receiver");
    const { ports } = (await (await fetch(`${target.url}/ports`)).json()) as { ports: number[] };
    return new Receivers(target, ports);
  }

  url(index: number): string {
    return `http://127.0.0.1:${this.ports[index]}/hooks/${index}`;
  }

  async count(): Promise<number> {
    return ((await (await fetch(`${this.target.url}/count`)).json()) as { count: number }).count;
  }

  /** Polls (every 20 ms, off the timed path) until `expected` arrived or `timeoutMs` passed. */
  async waitFor(expected: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let count = await this.count();
    while (count < expected && Date.now() < deadline) {
      await Bun.sleep(20);
      count = await this.count();
    }
    return count;
  }

  async report(): Promise<ReceiverReport> {
    return (await (await fetch(`${this.target.url}/report`)).json()) as ReceiverReport;
  }

  async captured(): Promise<CapturedRequest[]> {
    return (await (await fetch(`${this.target.url}/captured`)).json()) as CapturedRequest[];
  }

  async reset(): Promise<void> {
    await fetch(`${this.target.url}/reset`, { method: "POST" });
  }
}

/** A fresh Sendeasy process with one sandbox channel and `webhooks` general webhooks. */
class Sendeasy {
  private constructor(
    readonly target: Target,
    readonly channelId: string,
  ) {}

  static async start(
    receivers: Receivers,
    webhooks: number,
    bunFlags: string[] = [],
  ): Promise<Sendeasy> {
    return Sendeasy.setUp(await startTarget("../_fanout_server", bunFlags), receivers, webhooks);
  }

  /** Makes the sandbox channel and `webhooks` general webhooks on a started server. */
  static async setUp(target: Target, receivers: Receivers, webhooks: number): Promise<Sendeasy> {
    const channel = await adminCall(target, "/channels", {
      type: "sms",
      provider: "sandbox",
      name: "bench",
      address: "+5511933334444",
    });
    for (let i = 0; i < webhooks; i++) {
      await adminCall(target, "/integrations", {
        kind: "webhook",
        name: `bench ${i}`,
        scope: "general",
        url: receivers.url(i),
        events: ["message.received"],
      });
    }
    return new Sendeasy(target, String(channel.id));
  }

  /** One `message.received` event; resolves with the API round trip in ms. */
  async event(n: number, expectedDeliveries: number): Promise<number> {
    const started = performance.now();
    const answer = await adminCall(this.target, `/channels/${this.channelId}/simulate-inbound`, {
      from: "+5511988887777",
      text: `bench event ${n}`,
    });
    const deliveries = (answer.event as { deliveries: number }).deliveries;
    if (deliveries !== expectedDeliveries) {
      throw new Error(`event ${n} has ${deliveries} deliveries, expected ${expectedDeliveries}`);
    }
    return performance.now() - started;
  }

  /** Creates events `from`…`from + count - 1` with at most `inFlight` API calls at once. */
  async events(from: number, count: number, inFlight: number, fanout: number): Promise<number[]> {
    const latencies: number[] = [];
    let next = from;
    const end = from + count;
    const runner = async (): Promise<void> => {
      while (next < end) latencies.push(await this.event(next++, fanout));
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, runner));
    return latencies;
  }

  /** SQLite group-commit counters (zeros when the store does not report them). */
  async writeStats(): Promise<{ batches: number; writes: number }> {
    const stats = await this.target.command("stats");
    return (
      (stats.sqliteWrites as { batches: number; writes: number } | null) ?? {
        batches: 0,
        writes: 0,
      }
    );
  }
}

/**
 * `_proc.ts`'s `startTarget` for `_fanout_server.ts` with extra environment (`startTarget`
 * passes none, and `Bun.spawn` does not see later changes to `process.env`). Only what the
 * "worker alone" scenario needs: the announce line, `stats` and `exit`.
 */
async function startServerWith(env: Record<string, string>): Promise<Target> {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "_fanout_server.ts")], {
    env: { ...process.env, ...env },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const reader = proc.stdout.getReader();
  const decoder = new TextDecoder();
  let buffered = "";
  const readJson = async (): Promise<Record<string, unknown>> => {
    while (!buffered.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`fan-out server exited (code ${await proc.exited})`);
      buffered += decoder.decode(value, { stream: true });
    }
    const line = buffered.slice(0, buffered.indexOf("\n"));
    buffered = buffered.slice(line.length + 1);
    return JSON.parse(line) as Record<string, unknown>;
  };
  const send = (line: string): void => {
    proc.stdin.write(`${line}\n`);
    proc.stdin.flush();
  };
  const ready = await readJson();
  return {
    name: "fanout-server",
    url: String(ready.url),
    token: String(ready.token),
    pid: proc.pid,
    async command(command) {
      send(command);
      return readJson();
    },
    async stop() {
      send("exit");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

async function adminCall(
  target: Target,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${target.url}/api/admin${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.token}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) {
    throw new Error(`admin POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

/** CPU time (user + system) a process has used so far, in ms (`/proc/<pid>/stat`, 100 Hz ticks). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Measures the CPU the server and the receivers use from now until `done()`. */
function cpuMeter(server: { target: Target }, receivers: Receivers) {
  const started = performance.now();
  const serverBefore = cpuMs(server.target.pid);
  const receiversBefore = cpuMs(receivers.target.pid);
  return {
    done(): string {
      const wall = performance.now() - started;
      const share = (before: number, pid: number) =>
        `${(((cpuMs(pid) - before) / wall) * 100).toFixed(0)} %`;
      return `CPU (share of one core over ${(wall / 1000).toFixed(2)} s): server ${share(serverBefore, server.target.pid)}, receivers ${share(receiversBefore, receivers.target.pid)}`;
    },
  };
}

interface LoopOutcome {
  jobs: number;
  roundsMs: number[];
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Runs the plain loop process over `requests` (replayed to the same receiver ports). */
async function runLoop(
  receivers: Receivers,
  name: string,
  requests: CapturedRequest[],
  options: { inFlight: number; perDestination: number; rounds: number; warmup: number },
): Promise<LoopOutcome> {
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
      join(import.meta.dir, "_fanout_loop.ts"),
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
  const result = JSON.parse(out) as LoopOutcome;
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

// ---------------------------------------------------------------------------------------------
// Scenarios

interface Row {
  label: string;
  deliveries: number;
  rate: number;
  /** Name of the loop row this one is compared with. */
  baseline?: string;
  p50Ms: number;
  p99Ms: number;
  /** Missing deliveries, duplicates or errors: anything here makes the row invalid. */
  problems: string[];
  /** Extra lines printed under the table. */
  notes: string[];
}

const median = (values: readonly number[]): number =>
  quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );

/** Latencies (receipt − `createdAt`), sorted, and duplicate/missing counts against `expected`. */
function analyse(report: ReceiverReport, expectedPerEvent: number, expectedEvents: number) {
  const latencies: number[] = [];
  const seen = new Set<string>();
  const perEvent = new Map<string, { createdAt: number; last: number; count: number }>();
  let duplicates = 0;
  for (let i = 0; i < report.id.length; i++) {
    const id = report.id[i] as string;
    const at = report.at[i] as number;
    const createdAt = report.createdAt[i] as number;
    const key = `${id}@${report.port[i]}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    latencies.push(at - createdAt);
    const event = perEvent.get(id);
    if (event === undefined) perEvent.set(id, { createdAt, last: at, count: 1 });
    else {
      event.last = Math.max(event.last, at);
      event.count++;
    }
  }
  latencies.sort((a, b) => a - b);
  const missing = expectedPerEvent * expectedEvents - seen.size;
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} deliveries missing`);
  if (duplicates > 0) problems.push(`${duplicates} duplicates`);
  if (perEvent.size !== expectedEvents) {
    problems.push(`${perEvent.size} events seen, ${expectedEvents} expected`);
  }
  const createdAts = [...perEvent.values()].map((e) => e.createdAt);
  return {
    latencies,
    perEvent,
    problems,
    firstCreatedAt: Math.min(...createdAts),
    lastCreatedAt: Math.max(...createdAts),
    lastArrival: report.at.reduce((max, at) => Math.max(max, at), 0),
  };
}

async function scenarioA(receivers: Receivers, options: Options): Promise<Row[]> {
  const webhooks = 50;
  log(`(a) 1 event × ${webhooks} webhooks: 1 warm-up + ${options.rounds} rounds`);
  const server = await Sendeasy.start(receivers, webhooks);
  let rounds: ReturnType<typeof analyse>;
  let requests: CapturedRequest[];
  let writes: { batches: number; writes: number };
  try {
    await server.event(0, webhooks);
    await receivers.waitFor(webhooks, 10_000);
    await receivers.reset();
    for (let round = 1; round <= options.rounds; round++) {
      await server.event(round, webhooks);
      await receivers.waitFor(webhooks * round, 10_000);
    }
    rounds = analyse(await receivers.report(), webhooks, options.rounds);
    requests = (await receivers.captured()).slice(-webhooks);
    writes = await server.writeStats();
  } finally {
    await server.target.stop();
    await receivers.reset();
  }
  const roundMs = [...rounds.perEvent.values()].map((e) => e.last - e.createdAt);
  const sendeasy: Row = {
    label: `(a) Sendeasy, 1 event × ${webhooks} webhooks`,
    deliveries: webhooks * options.rounds,
    rate: (webhooks / median(roundMs)) * 1000,
    baseline: "a-loop",
    p50Ms: quantile(rounds.latencies, 0.5),
    p99Ms: quantile(rounds.latencies, 0.99),
    problems: rounds.problems,
    notes: [
      `(a) event → last of its ${webhooks} receipts: median ${median(roundMs).toFixed(1)} ms, min ${Math.min(...roundMs)} ms, max ${Math.max(...roundMs)} ms; SQLite ${writes.writes} writes in ${writes.batches} commits over the whole server life`,
    ],
  };
  log(`(a) plain loop: ${LOOP_IN_FLIGHT} in flight, 1 warm-up + ${options.rounds} rounds`);
  const loop = await runLoop(receivers, "a", requests, {
    inFlight: LOOP_IN_FLIGHT,
    perDestination: 0,
    rounds: options.rounds,
    warmup: webhooks,
  });
  const loopRow: Row = {
    label: `(a) plain fetch loop, ${LOOP_IN_FLIGHT} in flight`,
    deliveries: loop.jobs * options.rounds,
    rate: (loop.jobs / median(loop.roundsMs)) * 1000,
    p50Ms: loop.p50Ms,
    p99Ms: loop.p99Ms,
    problems: loop.errors > 0 ? [`${loop.errors} errors`] : [],
    notes: [],
  };
  return [sendeasy, loopRow];
}

async function scenarioB(receivers: Receivers, options: Options): Promise<Row[]> {
  const webhooks = 3;
  const n = options.events;
  log(`(b) ${n} events × ${webhooks} webhooks (after ${options.warmupEvents} warm-up events)`);
  const server = await Sendeasy.start(receivers, webhooks);
  let result: ReturnType<typeof analyse>;
  let createMs: number[];
  let requests: CapturedRequest[];
  let writes: { batches: number; writes: number };
  let createdIn: number;
  let cpuNote: string;
  let afterLast: number;
  try {
    await server.events(0, options.warmupEvents, CREATE_IN_FLIGHT, webhooks);
    await receivers.waitFor(options.warmupEvents * webhooks, 30_000);
    await receivers.reset();
    const before = await server.writeStats();
    const cpu = cpuMeter(server, receivers);
    const started = performance.now();
    createMs = await server.events(options.warmupEvents, n, CREATE_IN_FLIGHT, webhooks);
    createdIn = performance.now() - started;
    await receivers.waitFor(n * webhooks, 120_000);
    cpuNote = cpu.done();
    const report = await receivers.report();
    result = analyse(report, webhooks, n);
    afterLast = report.at.filter((at) => at > result.lastCreatedAt).length;
    requests = await receivers.captured();
    const after = await server.writeStats();
    writes = { batches: after.batches - before.batches, writes: after.writes - before.writes };
  } finally {
    await server.target.stop();
    await receivers.reset();
  }
  createMs.sort((a, b) => a - b);
  const deliveries = n * webhooks;
  const windowMs = result.lastArrival - result.firstCreatedAt;
  const creatingMs = Math.max(1, result.lastCreatedAt - result.firstCreatedAt);
  const drainMs = Math.max(1, result.lastArrival - result.lastCreatedAt);
  const sendeasy: Row = {
    label: `(b) Sendeasy, ${n} events × ${webhooks} webhooks`,
    deliveries,
    rate: (deliveries / windowMs) * 1000,
    baseline: "b-loop",
    p50Ms: quantile(result.latencies, 0.5),
    p99Ms: quantile(result.latencies, 0.99),
    problems: result.problems,
    notes: [
      `(b) events created over the API in ${(createdIn / 1000).toFixed(2)} s (${Math.round((n / createdIn) * 1000)} events/s, ${CREATE_IN_FLIGHT} in flight, simulate-inbound p50 ${quantile(createMs, 0.5).toFixed(1)} ms / p99 ${quantile(createMs, 0.99).toFixed(1)} ms); first event → last delivery ${(windowMs / 1000).toFixed(2)} s; ${deliveries - afterLast} deliveries arrived while events were being created (${Math.round(((deliveries - afterLast) / creatingMs) * 1000)}/s), ${afterLast} after the last one (${Math.round((afterLast / drainMs) * 1000)}/s over the last ${(drainMs / 1000).toFixed(2)} s: the worker alone)`,
      `(b) SQLite during the run: ${writes.writes} writes in ${writes.batches} commits (${(writes.writes / deliveries).toFixed(2)} writes and ${(writes.batches / deliveries).toFixed(2)} commits per delivery); ${cpuNote}`,
    ],
  };
  const loops: Row[] = [];
  for (const perDestination of [0, WORKER_PER_DESTINATION]) {
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
    loops.push({
      label:
        perDestination === 0
          ? `(b) plain fetch loop, ${LOOP_IN_FLIGHT} in flight`
          : `(b) plain fetch loop, ${perDestination} per destination (the worker's cap)`,
      deliveries: loop.jobs,
      rate: (loop.jobs / (loop.roundsMs[0] as number)) * 1000,
      p50Ms: loop.p50Ms,
      p99Ms: loop.p99Ms,
      problems: loop.errors > 0 ? [`${loop.errors} errors`] : [],
      notes: [],
    });
  }
  return [sendeasy, ...loops];
}

/**
 * (b′) the worker alone: a server without its worker (`FANOUT_WORKER=off`) queues N events × 3
 * deliveries through the API and exits; a fresh server on the same data dir drains them. Rate
 * = 3N / (first receipt → last receipt): no event creation competes with the worker.
 */
async function scenarioDrain(receivers: Receivers, options: Options): Promise<Row> {
  const webhooks = 3;
  const n = options.events;
  log(`(b′) worker alone: queue ${n} events × ${webhooks} webhooks, then drain them`);
  const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-fanout-drain-"));
  let result: ReturnType<typeof analyse>;
  let cpuNote: string;
  let firstArrival: number;
  try {
    const filler = await Sendeasy.setUp(
      await startServerWith({ FANOUT_DATA_DIR: dataDir, FANOUT_WORKER: "off" }),
      receivers,
      webhooks,
    );
    try {
      await filler.events(0, n, CREATE_IN_FLIGHT, webhooks);
    } finally {
      await filler.target.stop();
    }
    if ((await receivers.count()) !== 0) throw new Error("a worker ran while the outbox filled");
    const drainer = { target: await startServerWith({ FANOUT_DATA_DIR: dataDir }) };
    try {
      const cpu = cpuMeter(drainer, receivers);
      await receivers.waitFor(n * webhooks, 120_000);
      cpuNote = cpu.done();
      const report = await receivers.report();
      result = analyse(report, webhooks, n);
      firstArrival = report.at.reduce((min, at) => Math.min(min, at), Number.POSITIVE_INFINITY);
    } finally {
      await drainer.target.stop();
    }
  } finally {
    await receivers.reset();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const deliveries = n * webhooks;
  const windowMs = result.lastArrival - firstArrival;
  return {
    label: `(b′) Sendeasy worker alone, ${deliveries} queued deliveries to ${webhooks} webhooks`,
    deliveries,
    rate: (deliveries / windowMs) * 1000,
    baseline: "b-loop",
    p50Ms: Number.NaN,
    p99Ms: Number.NaN,
    problems: result.problems,
    notes: [
      `(b′) drained in ${(windowMs / 1000).toFixed(2)} s from the first receipt (cold process, no warm-up); ${cpuNote}`,
    ],
  };
}

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

async function scenarioC(receivers: Receivers, options: Options): Promise<Row> {
  const seconds = options.latencySeconds;
  log(`(c) ${RATE_PER_SECOND} events/s × 1 webhook for ${seconds} s (after 1 s warm-up)`);
  const server = await Sendeasy.start(receivers, 1);
  let result: ReturnType<typeof analyse>;
  let fired: { total: number; seconds: number };
  let cpuNote: string;
  try {
    const warm = await atRate(server, 0, RATE_PER_SECOND, 1);
    await receivers.waitFor(warm.total, 30_000);
    await receivers.reset();
    const cpu = cpuMeter(server, receivers);
    fired = await atRate(server, warm.total, RATE_PER_SECOND, seconds);
    await receivers.waitFor(fired.total, 60_000);
    cpuNote = cpu.done();
    result = analyse(await receivers.report(), 1, fired.total);
  } finally {
    await server.target.stop();
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
    label: `(c) Sendeasy, ${RATE_PER_SECOND} events/s × 1 webhook, ${seconds} s`,
    deliveries: fired.total,
    rate: (fired.total / windowMs) * 1000,
    p50Ms: quantile(result.latencies, 0.5),
    p99Ms: quantile(result.latencies, 0.99),
    problems: result.problems,
    notes: [
      `(c) ${fired.total} events fired in ${fired.seconds.toFixed(2)} s (${Math.round(fired.total / fired.seconds)} events/s offered); latency max ${quantile(result.latencies, 1).toFixed(0)} ms, p90 ${quantile(result.latencies, 0.9).toFixed(0)} ms; ${cpuNote}`,
    ],
  };
}

/** A `bun --cpu-prof` pass of the server during scenario (b); returns the profile files. */
async function profile(receivers: Receivers, options: Options): Promise<string[]> {
  const dir = join(WORK_DIR, "fanout-profile");
  rmSync(dir, { recursive: true, force: true });
  log(`profile: (b) with the server under --cpu-prof`);
  const flags = ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${dir}`];
  const server = await Sendeasy.start(receivers, 3, flags);
  try {
    await server.events(0, options.events, CREATE_IN_FLIGHT, 3);
    await receivers.waitFor(options.events * 3, 120_000);
  } finally {
    await server.target.stop();
    await receivers.reset();
  }
  return readdirSync(dir).map((file) => join(dir, file));
}

// ---------------------------------------------------------------------------------------------
// Report

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "—");
const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;

function table(rows: Row[], loops: Map<string, Row>): string {
  const lines = [
    "| scenario | deliveries | deliveries/s | % of plain loop | p50 ms | p99 ms | problems |",
    "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
  ];
  for (const row of rows) {
    const base = row.baseline === undefined ? undefined : loops.get(row.baseline);
    const share = base === undefined ? "" : pct(row.rate / base.rate);
    lines.push(
      `| ${row.label} | ${row.deliveries} | ${Math.round(row.rate)} | ${share} | ${fmt(row.p50Ms)} | ${fmt(row.p99Ms)} | ${row.problems.join(", ")} |`,
    );
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const options = parseArgs(Bun.argv.slice(2));
  const loadBefore = loadavg()[0] ?? 0;
  const started = performance.now();
  const receivers = await Receivers.start();
  let rows: Row[];
  let profiles: string[] = [];
  try {
    const a = await scenarioA(receivers, options);
    const b = await scenarioB(receivers, options);
    const drain = await scenarioDrain(receivers, options);
    const c = await scenarioC(receivers, options);
    rows = [...a, ...b, drain, c];
    if (options.profile) profiles = await profile(receivers, options);
  } finally {
    await receivers.target.stop();
  }
  const loadAfter = loadavg()[0] ?? 0;
  const loops = new Map<string, Row>([
    ["a-loop", rows[1] as Row],
    ["b-loop", rows[3] as Row],
  ]);

  console.log(
    `\n## Webhook fan-out benchmark (${options.events} events in (b), ${navigator.hardwareConcurrency} cores, bun ${Bun.version}, ${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
  );
  console.log(table(rows, loops));
  console.log(
    "\np50/p99: event `createdAt` → receipt for Sendeasy rows; request → answer for the loop rows.",
  );
  for (const row of rows) for (const note of row.notes) console.log(`- ${note}`);
  if (loadBefore > 1.5 || loadAfter > 3) {
    console.log(
      `\n> Warning: the machine was busy (1-min load average ${loadBefore.toFixed(1)} before, ${loadAfter.toFixed(1)} after, ${navigator.hardwareConcurrency} cores). Rerun on a quiet machine before trusting these numbers.`,
    );
  }

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
  const [a, , b, , , , c] = rows as [Row, Row, Row, Row, Row, Row, Row];
  const aOk = shareOk(a);
  const bOk = shareOk(b);
  const cOk = c.p99Ms <= GOAL.p99Ms && c.problems.length === 0;
  const share = (row: Row) => pct(row.rate / (loops.get(row.baseline ?? "")?.rate ?? Number.NaN));
  console.log(
    `\nTarget ≥ ${pct(GOAL.shareOfLoop)} of the plain loop: (a) ${verdict(aOk)} (${share(a)}), (b) ${verdict(bOk)} (${share(b)})`,
  );
  console.log(
    `Target p99 ≤ ${GOAL.p99Ms} ms at ${RATE_PER_SECOND} events/s: ${verdict(cOk)} (p99 ${fmt(c.p99Ms)} ms)`,
  );
  console.log(`\nSummary: ${verdict(aOk && bOk && cOk)}`);
  if (profiles.length > 0) {
    console.log(`\nCPU profile of the server in (b): ${profiles.join(", ")}`);
    const markdown = profiles.find((file) => file.endsWith(".md"));
    const top = markdown && (await Bun.file(markdown).text()).match(/^\*\*Top 10:\*\*.*$/m);
    if (top) console.log(top[0]);
  }
}

await main();
