/**
 * The processes of `bench/fanout.ts` and how the harness talks to them: the receivers
 * (`_fanout_receiver.ts`), Sendeasy on a backend setup (`_fanout_server.ts`, one or more
 * instances on one provisioned backend), the plain loop (`_fanout_loop.ts`), and a CPU meter
 * reading `/proc`.
 *
 * @module
 */
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { type Provisioned, provision, REDIS_URL, type Setup } from "../shared/backend.ts";
import { cpuMs, groupMeter, pidsWith } from "../shared/cpu.ts";
import { startTarget, type Target } from "../shared/proc.ts";
import { WORK_DIR } from "../shared/wrk.ts";
import type { LoopResult } from "./loop.ts";
import type { CapturedRequest, ReceiverReport } from "./receiver.ts";

export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** The receiver process's control API. */
export class Receivers {
  constructor(
    readonly target: Target,
    readonly ports: number[],
  ) {}

  static async start(): Promise<Receivers> {
    const target = await startTarget(join(import.meta.dir, "receiver.ts"));
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

/** Starts `count` fan-out servers on `backend`, one after another. */
export async function startServers(
  backend: Provisioned,
  count: number,
  options: { bunFlags?: string[]; worker?: boolean } = {},
): Promise<Target[]> {
  const env = { ...backend.env, FANOUT_WORKER: options.worker === false ? "off" : "on" };
  const targets: Target[] = [];
  try {
    while (targets.length < count) {
      targets.push(
        await startTarget(join(import.meta.dir, "server.ts"), {
          bunFlags: options.bunFlags ?? [],
          env,
        }),
      );
    }
  } catch (error) {
    for (const target of targets) await target.stop();
    throw error;
  }
  return targets;
}

/**
 * Sendeasy on one setup: fresh processes with one sandbox channel and `webhooks` general
 * webhooks. The first instance is started and set up alone (it migrates the database; the
 * others then load the webhooks from it, no cache to invalidate); events alternate between the
 * instances, and every instance's worker delivers.
 */
export class Sendeasy {
  private constructor(
    readonly setup: Setup,
    readonly targets: Target[],
    readonly channelId: string,
    readonly backend: Provisioned,
    private readonly ownsBackend: boolean,
  ) {}

  /**
   * @param options.backend run on this backend (and leave it in place); default: a fresh one,
   *   dropped by `stop()`
   * @param options.worker false: no delivery worker (deliveries stay queued)
   */
  static async start(
    receivers: Receivers,
    webhooks: number,
    setup: Setup,
    options: { bunFlags?: string[]; worker?: boolean; backend?: Provisioned } = {},
  ): Promise<Sendeasy> {
    const backend = options.backend ?? (await provision(setup.backend));
    const targets: Target[] = [];
    try {
      targets.push(...(await startServers(backend, 1, options)));
      const first = targets[0] as Target;
      const channel = await adminCall(first, "/channels", {
        type: "sms",
        provider: "sandbox",
        name: "bench",
        address: "+5511933334444",
      });
      for (let i = 0; i < webhooks; i++) {
        await adminCall(first, "/integrations", {
          kind: "webhook",
          name: `bench ${i}`,
          scope: "general",
          url: receivers.url(i),
          events: ["message.received"],
        });
      }
      targets.push(...(await startServers(backend, setup.instances - 1, options)));
      return new Sendeasy(setup, targets, String(channel.id), backend, !options.backend);
    } catch (error) {
      for (const target of targets) await target.stop();
      if (!options.backend) await backend.drop();
      throw error;
    }
  }

  /** Stops every instance (and drops the backend it made). */
  async stop(): Promise<void> {
    for (const target of this.targets) await target.stop();
    if (this.ownsBackend) await this.backend.drop();
  }

  /** One `message.received` event (through instance `n` mod instances); the round trip in ms. */
  async event(n: number, expectedDeliveries: number): Promise<number> {
    const started = performance.now();
    const target = this.targets[n % this.targets.length] as Target;
    const answer = await adminCall(target, `/channels/${this.channelId}/simulate-inbound`, {
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

  /** SQLite group-commit counters; null on Postgres (its counters cover messages only). */
  async sqliteWrites(): Promise<{ batches: number; writes: number } | null> {
    if (this.setup.backend !== "sqlite") return null;
    const stats = await (this.targets[0] as Target).command("stats");
    return (stats.storeWrites as { batches: number; writes: number } | null) ?? null;
  }
}

export async function adminCall(
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

/**
 * Measures the CPU the servers (each instance), the receivers and, on Postgres, the database's
 * sessions and the Redis server use from now until `done()`.
 */
export function cpuMeter(servers: readonly Target[], receivers: Receivers, backend: Provisioned) {
  const started = performance.now();
  const pids = servers.map((target) => target.pid);
  const serversBefore = pids.map(cpuMs);
  const receiversBefore = cpuMs(receivers.target.pid);
  const postgres = backend.backend === "postgres";
  // A session's command line: "postgres: 15/main: postgres <database> 127.0.0.1(port) idle".
  const sessions = postgres ? groupMeter(() => pidsWith(` ${backend.name} `)) : null;
  const redisPort = new URL(REDIS_URL).port || "6379";
  const redis = postgres ? groupMeter(() => pidsWith(`redis-server 127.0.0.1:${redisPort}`)) : null;
  return {
    /** The note for the table, and the servers' CPU time since the start, in ms. */
    done(): { note: string; serversMs: number } {
      const wall = performance.now() - started;
      const pct = (ms: number) => `${((ms / wall) * 100).toFixed(0)} %`;
      const share = (before: number, pid: number) => pct(cpuMs(pid) - before);
      const each = pids.map((pid, i) => share(serversBefore[i] as number, pid)).join(" + ");
      const services =
        sessions && redis
          ? `, Postgres sessions of this database ${pct(sessions.usedMs())}, redis-server ${pct(redis.usedMs())} (shared)`
          : "";
      const serversMs = pids.reduce(
        (sum, pid, i) => sum + cpuMs(pid) - (serversBefore[i] as number),
        0,
      );
      return {
        note: `CPU (share of one core over ${(wall / 1000).toFixed(2)} s): server${pids.length > 1 ? "s" : ""} ${each}, receivers ${share(receiversBefore, receivers.target.pid)}${services}`,
        serversMs,
      };
    },
  };
}

/** What `_fanout_floor.ts` printed. */
export interface FloorResult {
  deliveries: number;
  errors: number;
  cpuUs: number;
}

/**
 * Runs the durable floor (`_fanout_floor.ts`) on the SQLite file at `path`, with `inFlight`
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
