/**
 * The retention bench: small writes timed through the writer with no retention, during
 * retention in batches, and during one unbatched run (bench/README.md#retention).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { SqliteStore } from "../../adapters/store/sqlite/mod.ts";
import { createLogger } from "../../server/logger.ts";
import { RetentionJob } from "../../server/services/retention_job.ts";
import { quantile } from "../shared/quantile.ts";
import { openBenchStore, seed } from "./fixture.ts";

const DAY_MS = 86_400_000;
const { values } = parseArgs({ options: { messages: { type: "string", default: "20000" } } });
const COUNT = Number(values.messages);

/** Times one small write every 2 ms until `until` settles; answers the latencies in ms. */
async function probe(store: SqliteStore, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => {
    done = true;
  });
  while (!done) {
    const started = performance.now();
    await store.generations.bump("bench");
    latencies.push(performance.now() - started);
    await Bun.sleep(2);
  }
  return latencies;
}

function summary(name: string, latencies: number[], extra = "") {
  const sorted = [...latencies].sort((a, b) => a - b);
  const q = (p: number) => quantile(sorted, p);
  console.log(
    `${name.padEnd(26)} writes ${String(sorted.length).padStart(5)}  p50 ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  max ${q(1).toFixed(2)} ms${extra}`,
  );
}

async function scenario(name: string, batchSize: number | null, dir: string) {
  const bench = await openBenchStore(dir, name);
  const { store, now } = bench;
  if (batchSize === null) {
    summary(name, await probe(store, Bun.sleep(3_000)));
  } else {
    await seed(bench, now - 40 * DAY_MS, COUNT);
    const job = new RetentionJob({
      store: store.operations,
      clock: { now: () => now },
      logger: createLogger("silent"),
      days: 30,
      holder: name,
      batchSize,
    });
    const started = performance.now();
    const run = job.runOnce();
    const latencies = await probe(store, run);
    const took = performance.now() - started;
    const result = await run;
    const deleted = result.ran ? result.deleted.messages : 0;
    summary(
      name,
      latencies,
      `  deleted ${deleted} messages in ${(took / 1000).toFixed(1)} s (${result.ran ? result.batches : 0} batches)`,
    );
  }
  await store.close();
}

const dir = mkdtempSync(join(tmpdir(), "sendeasy-bench-retention-"));
try {
  console.log(`retention bench: ${COUNT} messages, each with an event and a settled delivery`);
  await scenario("baseline (no retention)", null, dir);
  await scenario("retention, batches of 500", 500, dir);
  await scenario("one batch per table", COUNT, dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
