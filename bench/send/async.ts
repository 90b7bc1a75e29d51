/**
 * `bun bench/send.ts --async`: sync vs `Prefer: respond-async` at 64 connections, and the queue's
 * drain rate (bench/README.md#send).
 *
 * @module
 */
import type { Setup } from "../shared/backend.ts";
import { type Cell, measureCells, startSendeasy } from "./measure.ts";

const DRAIN_SENDS = 10_000;
const CLIENTS = 64;

/** Runs both parts and prints them. */
export async function runAsync(
  wrk: string,
  setup: Setup,
  timing: { duration: string; warmup: string },
): Promise<void> {
  const sync = await startSendeasy(setup);
  let syncCell: Cell | undefined;
  try {
    [syncCell] = await measureCells(wrk, [sync], [64], timing);
  } finally {
    await sync.stop();
  }
  const queued = await startSendeasy(setup);
  let asyncCell: Cell | undefined;
  try {
    const async = {
      ...queued,
      label: "Sendeasy async (202)",
      headers: { Prefer: "respond-async" },
    };
    [asyncCell] = await measureCells(wrk, [async], [64], timing);
  } finally {
    await queued.stop();
  }
  if (syncCell === undefined || asyncCell === undefined) throw new Error("missing a cell");
  printRows(syncCell, asyncCell);
  const drain = await measureDrain(setup);
  console.log(
    `\nDrain: ${DRAIN_SENDS} queued sends to a Resend fake answering at once: ${Math.round(drain.rate)} sends/s at the provider (first to last request ${(drain.spanMs / 1000).toFixed(2)} s; enqueueing took ${(drain.enqueueMs / 1000).toFixed(2)} s at ${CLIENTS} clients, ${drain.non202} non-202).`,
  );
}

function printRows(sync: Cell, queued: Cell): void {
  console.log("\n| send @64 | req/s | p50 ms | p99 ms | CPU µs/req | errors |");
  console.log("| --- | ---: | ---: | ---: | ---: | ---: |");
  for (const [label, cell] of [
    ["sync (200, sandbox)", sync],
    ["async (202, Prefer: respond-async)", queued],
  ] as const) {
    const { result } = cell;
    const errors = result.non2xx + result.socketErrors;
    console.log(
      `| ${label} | ${Math.round(result.rps)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${cell.cpuPerRequestUs.toFixed(1)} | ${errors} |`,
    );
  }
  const share = queued.result.rps / sync.result.rps;
  const ok = share >= 1 && queued.result.p99Ms <= sync.result.p99Ms;
  console.log(
    `\nAsync target (≥ 100 % of sync req/s, p99 no higher): ${ok ? "PASS" : "FAIL"} — ${(share * 100).toFixed(1)} % of sync, p99 ${queued.result.p99Ms.toFixed(2)} vs ${sync.result.p99Ms.toFixed(2)} ms`,
  );
}

/** Queues {@linkcode DRAIN_SENDS} e-mails and times the fake provider receiving them. */
async function measureDrain(
  setup: Setup,
): Promise<{ rate: number; spanMs: number; enqueueMs: number; non202: number }> {
  const times: number[] = [];
  let done: () => void = () => {};
  const all = new Promise<void>((resolve) => {
    done = resolve;
  });
  const fake = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch: () => {
      times.push(performance.now());
      if (times.length === DRAIN_SENDS) done();
      return Response.json({ id: crypto.randomUUID() });
    },
  });
  const env = {
    BENCH_SENDEASY_CHANNEL: "resend-fake",
    BENCH_RESEND_URL: `http://127.0.0.1:${fake.port}`,
  };
  const system = await startSendeasy(setup, [], env);
  try {
    const started = performance.now();
    let next = 0;
    let non202 = 0;
    const client = async () => {
      while (next < DRAIN_SENDS) {
        const n = next++;
        const res = await fetch(system.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${system.token}`,
            prefer: "respond-async",
          },
          body: JSON.stringify({
            to: `c${n}@company.com`,
            subject: `Order ${n}`,
            html: "<p>x</p>",
          }),
        });
        if (res.status !== 202) non202 += 1;
        await res.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: CLIENTS }, client));
    const enqueueMs = performance.now() - started;
    // At most 5 minutes; a cleared timer, so the process exits as soon as the bench is done.
    const timeout = setTimeout(done, 300_000);
    await all;
    clearTimeout(timeout);
    const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
    return { rate: (times.length - 1) / (spanMs / 1000), spanMs, enqueueMs, non202 };
  } finally {
    await system.stop();
    fake.stop(true);
  }
}
