/**
 * Fan-out scenario (d), fair delivery while another company's receivers hang
 * (bench/README.md#fan-out).
 *
 * @module
 */

import { adminPost } from "../shared/admin_api.ts";
import { provision, type Setup, setupLabel } from "../shared/backend.ts";
import type { Target } from "../shared/proc.ts";
import { log } from "../shared/progress.ts";
import { quantile } from "../shared/quantile.ts";
import { analyse, type Row } from "./analyse.ts";
import { cpuMeter } from "./cpu_meter.ts";
import type { Receivers } from "./receivers.ts";
import { startServers } from "./sendeasy.ts";

/** Company A's never-answering webhooks. */
export const HANGING = 50;
/** Company A's event rate: every event is `HANGING` deliveries that hang. */
const A_EVENTS_PER_SECOND = 10;
/** Company B's event rate, one delivery each. */
const B_EVENTS_PER_SECOND = 20;
/** A's load runs this long before B's events start (the worker's slots are taken by then). */
const HEAD_START_MS = 3_000;

/** The options (d) reads. */
export interface FairnessOptions {
  /** How long B's events are created for. */
  fairnessSeconds: number;
}

/** (d): B's event → receipt latency while A's `HANGING` receivers hang. */
export async function scenarioD(
  receivers: Receivers,
  options: FairnessOptions,
  setup: Setup,
): Promise<Row> {
  const seconds = options.fairnessSeconds;
  log(
    `(d) ${setupLabel(setup)}: company B ${B_EVENTS_PER_SECOND} events/s × 1 webhook for ${seconds} s while company A's ${HANGING} receivers never answer (A: ${A_EVENTS_PER_SECOND} events/s)`,
  );
  const hanging = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    fetch: () => new Promise<Response>(() => undefined),
  });
  const backend = await provision(setup.backend);
  const [server] = (await startServers(backend, 1)) as [Target];
  try {
    const a = await company(server, "A (hanging receivers)");
    for (let i = 0; i < HANGING; i++) {
      await a.call("/integrations", {
        kind: "webhook",
        name: `hanging ${i}`,
        scope: "general",
        url: `http://127.0.0.1:${hanging.port}/hooks?i=${i}`,
        events: ["message.received"],
      });
    }
    const b = await company(server, "B (answering receiver)");
    await b.call("/integrations", {
      kind: "webhook",
      name: "answering",
      scope: "general",
      url: receivers.url(0),
      events: ["message.received"],
    });
    await receivers.reset();
    const stopA = fire(a, A_EVENTS_PER_SECOND);
    await Bun.sleep(HEAD_START_MS);
    const meter = cpuMeter([server], receivers, backend);
    const bFired = await fireFor(b, B_EVENTS_PER_SECOND, seconds);
    await receivers.waitFor(bFired, 30_000);
    const aFired = await stopA();
    const cpu = meter.done();
    const result = analyse(await receivers.report(), 1, bFired);
    return {
      label: `(d) fairness: company B, ${B_EVENTS_PER_SECOND} events/s × 1 webhook, ${seconds} s, while company A's ${HANGING} receivers never answer`,
      deliveries: bFired,
      rate: B_EVENTS_PER_SECOND,
      p50Ms: quantile(result.latencies, 0.5),
      p99Ms: quantile(result.latencies, 0.99),
      problems: result.problems,
      notes: [
        `(d) ${setupLabel(setup)}: B's latency max ${quantile(result.latencies, 1).toFixed(0)} ms, p90 ${quantile(result.latencies, 0.9).toFixed(0)} ms; company A created ${aFired} events (${aFired * HANGING} hanging deliveries) meanwhile; ${cpu.note}`,
      ],
    };
  } finally {
    await server.stop();
    await backend.drop();
    hanging.stop(true);
    await receivers.reset();
  }
}

/** A company with its own key and one sandbox channel; `call` posts to its admin API. */
async function company(server: Target, name: string) {
  const created = await adminPost(server.url, server.token ?? "", "/companies", { name });
  const key = String(created.adminKey);
  const call = (path: string, body: unknown) => adminPost(server.url, key, path, body);
  const channel = await call("/channels", {
    type: "sms",
    provider: "sandbox",
    name,
    address: "+5511933334444",
  });
  const event = () =>
    call(`/channels/${String(channel.id)}/simulate-inbound`, {
      from: "+5511988887777",
      text: `bench event of ${name}`,
    });
  return { call, event };
}

type Company = Awaited<ReturnType<typeof company>>;

/** Creates `rate` events/s until the returned function is called; it answers how many. */
function fire(company: Company, rate: number): () => Promise<number> {
  let stopped = false;
  const done = fireUntil(company, rate, () => stopped);
  return async () => {
    stopped = true;
    return done;
  };
}

/** Creates `rate` events/s for `seconds`; answers how many. */
function fireFor(company: Company, rate: number, seconds: number): Promise<number> {
  const total = Math.round(rate * seconds);
  let count = 0;
  return fireUntil(company, rate, () => ++count > total);
}

async function fireUntil(company: Company, rate: number, stop: () => boolean): Promise<number> {
  const started = performance.now();
  const outstanding = new Set<Promise<unknown>>();
  let sent = 0;
  for (;;) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate) + 1;
    while (sent < due) {
      if (stop()) {
        await Promise.all(outstanding);
        return sent;
      }
      const call = company.event().finally(() => outstanding.delete(call));
      outstanding.add(call);
      sent++;
    }
    await Bun.sleep(5);
  }
}
