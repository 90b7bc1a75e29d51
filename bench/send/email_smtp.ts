/**
 * `bun bench/send.ts --channel email-smtp`: e-mail through SMTP to a local relay beside the sandbox
 * path (bench/README.md#send).
 *
 * @module
 */
import { loadavg } from "node:os";
import { provision } from "../shared/backend.ts";
import { cpuMicros } from "../shared/cpu.ts";
import { startTarget, type Target } from "../shared/proc.ts";
import { runWrk, type WrkResult, writeScript } from "../shared/wrk.ts";
import { targetScript } from "./measure.ts";

const PATH = "/api/integration/generic";
const CONNECTIONS = 16;
const ROUNDS = 2;
const BODY = JSON.stringify({
  to: "customer@company.example",
  subject: "Order confirmation",
  html: "<p>Thanks for your purchase!</p>",
  text: "Thanks for your purchase!",
});

/** One e-mail path: which token sends, and how the row is labelled. */
interface Path {
  key: "sandbox" | "smtp" | "smtp16";
  label: string;
}

const PATHS: readonly Path[] = [
  { key: "sandbox", label: "sandbox e-mail" },
  { key: "smtp", label: "SMTP, pool of 5 (default)" },
  { key: "smtp16", label: "SMTP, pool of 16" },
];

interface Row {
  path: Path;
  results: WrkResult[];
  relayMessages: number;
  relayConnections: number;
  cpuPerMessageUs: number;
}

/**
 * Runs the e-mail bench and prints its markdown table.
 *
 * @param wrk the wrk binary
 * @param timing wrk durations for the measured cells and the warm-up
 */
export async function runEmailSmtp(
  wrk: string,
  timing: { duration: string; warmup: string },
): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const relay = await startTarget(targetScript("smtp_sink"));
  const backend = await provision("sqlite");
  let sendeasy: Target | undefined;
  try {
    sendeasy = await startTarget(targetScript("sendeasy"), {
      env: {
        ...backend.env,
        BENCH_SENDEASY_CHANNEL: "email-smtp",
        BENCH_SMTP_PORT: String(relay.announced.port),
      },
    });
    const rows = await measure(wrk, { sendeasy, relay, timing });
    const loadAfter = loadavg()[0] ?? 0;
    console.log(
      `\n## E-mail send benchmark (${timing.duration} per cell × ${ROUNDS} rounds @${CONNECTIONS} connections, wrk -t1, ${navigator.hardwareConcurrency} cores, bun ${Bun.version})\n`,
    );
    console.log(table(rows));
    console.log(
      `\n1-min load average ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after (three processes: wrk, Sendeasy, the relay).`,
    );
  } finally {
    await sendeasy?.stop();
    await relay.stop();
    await backend.drop();
  }
}

async function measure(
  wrk: string,
  parts: { sendeasy: Target; relay: Target; timing: { duration: string; warmup: string } },
): Promise<Row[]> {
  const { sendeasy, relay, timing } = parts;
  const tokens = sendeasy.announced.tokens as Record<Path["key"], string>;
  const url = sendeasy.url + PATH;
  const scripts = new Map<Path["key"], Awaited<ReturnType<typeof writeScript>>>();
  for (const path of PATHS) {
    await preflight(url, tokens[path.key], path.label);
    const request = {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${tokens[path.key]}` },
      body: BODY,
    };
    scripts.set(path.key, await writeScript(`email-${path.key}`, request));
  }
  const rows: Row[] = PATHS.map((path) => ({
    path,
    results: [],
    relayMessages: 0,
    relayConnections: 0,
    cpuPerMessageUs: 0,
  }));
  const cpu: number[] = PATHS.map(() => 0);
  for (const path of PATHS) {
    process.stderr.write(`warm-up ${path.label}: ${timing.warmup} @${CONNECTIONS}\n`);
    const script = scripts.get(path.key);
    if (script === undefined) throw new Error(`no script for ${path.key}`);
    await runWrk({ wrk, url, script, connections: CONNECTIONS, duration: timing.warmup });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, row] of rows.entries()) {
      process.stderr.write(`measure ${row.path.label}: ${timing.duration} @${CONNECTIONS}\n`);
      const script = scripts.get(row.path.key);
      if (script === undefined) throw new Error(`no script for ${row.path.key}`);
      const before = await relay.command("stats");
      const cpuBefore = cpuMicros(sendeasy.pid);
      const result = await runWrk({
        wrk,
        url,
        script,
        connections: CONNECTIONS,
        duration: timing.duration,
      });
      cpu[i] = (cpu[i] ?? 0) + cpuMicros(sendeasy.pid) - cpuBefore;
      const after = await relay.command("stats");
      row.results.push(result);
      row.relayMessages += Number(after.messages) - Number(before.messages);
      row.relayConnections += Number(after.connections) - Number(before.connections);
    }
  }
  for (const [i, row] of rows.entries()) {
    const sent = row.results.reduce((sum, r) => sum + r.requests, 0);
    row.cpuPerMessageUs = (cpu[i] ?? 0) / Math.max(1, sent);
  }
  return rows;
}

/** One send per path before the load, so a broken setup fails loudly. */
async function preflight(url: string, token: string, label: string): Promise<void> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: BODY,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${label} answered ${res.status}: ${text}`);
}

function table(rows: Row[]): string {
  const lines = [
    "| path | round | messages/s | p50 ms | p99 ms | Sendeasy CPU µs/msg | errors | relay got | relay connections |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  for (const row of rows) {
    for (const [round, result] of row.results.entries()) {
      const errors = result.non2xx + result.socketErrors;
      const smtp = row.path.key !== "sandbox";
      const relay = smtp && round === 0 ? `${row.relayMessages}` : "";
      const connections = smtp && round === 0 ? `${row.relayConnections}` : "";
      const cpu = round === 0 ? row.cpuPerMessageUs.toFixed(0) : "";
      lines.push(
        `| ${round === 0 ? row.path.label : ""} | ${round + 1} | ${Math.round(result.rps)} | ${result.p50Ms.toFixed(2)} | ${result.p99Ms.toFixed(2)} | ${cpu} | ${errors} | ${relay} | ${connections} |`,
      );
    }
  }
  return lines.join("\n");
}
