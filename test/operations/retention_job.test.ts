/**
 * README "Retention": the job on two instances at once (two stores on one SQLite file, two
 * pools on one Postgres database) runs on one of them; it deletes old settled work and
 * keeps what is pending, on both databases.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OperationsStore } from "../../core/ports/operations_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { createLogger } from "../../server/logger.ts";
import { RetentionJob } from "../../server/services/retention_job.ts";
import { queued, seedCompany, sent } from "../contracts/_message_state_fixtures.ts";
import { at } from "../support/delivery_fixtures.ts";
import {
  createTestDatabase,
  makePostgresHarness,
  openTestStore,
  POSTGRES_ADMIN_URL,
  probePostgres,
} from "../support/postgres_harness.ts";
import { makeSqliteHarness } from "../support/sqlite_harness.ts";

const DAY_MS = 86_400_000;
const CI = process.env.CI === "true";
const probe = await probePostgres();
const dir = mkdtempSync(join(tmpdir(), "sendeasy-retention-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Instance = { store: StorePorts & { operations: OperationsStore }; close(): Promise<void> };

function job(store: OperationsStore, holder: string): RetentionJob {
  return new RetentionJob({
    store,
    holder,
    days: 30,
    // 40 days after the fixtures' messages.
    clock: { now: () => at(0).getTime() + 40 * DAY_MS },
    logger: createLogger("silent"),
    batchSize: 2,
  });
}

function runOnBothInstances(name: string, open: () => Promise<[Instance, Instance]>) {
  test(`${name}: two instances at once, one runs; old sent messages go, queued ones stay`, async () => {
    const [a, b] = await open();
    try {
      const { co, ch } = await seedCompany(a.store);
      const old = Array.from({ length: 7 }, (_, i) => sent(ch, `SM-${i}`));
      for (const m of old) await a.store.messages.saveMessage(m, []);
      const waiting = queued(ch);
      await a.store.messages.saveMessage(waiting, []);

      const runs = await Promise.all([
        job(a.store.operations, "instance-a").runOnce(),
        job(b.store.operations, "instance-b").runOnce(),
      ]);
      const ran = runs.filter((r) => r.ran);
      expect(ran).toHaveLength(1);
      const [done] = ran;
      if (done?.ran !== true) throw new Error("no run");
      expect(done.deleted.messages).toBe(7);
      expect(done.batches).toBeGreaterThanOrEqual(4); // 2 rows a batch, then an empty one
      for (const m of old) expect(await b.store.messages.getMessage(co.id, m.id)).toBeNull();
      expect((await b.store.messages.getMessage(co.id, waiting.id))?.status).toBe("queued");
    } finally {
      await b.close();
      await a.close();
    }
  });
}

runOnBothInstances("sqlite", async () => {
  const harness = await makeSqliteHarness(dir);
  const second = await harness.openSecond?.();
  if (second === undefined) throw new Error("the SQLite harness opens a second store");
  return [
    { store: harness.store, close: () => harness.cleanup() },
    { store: second.store as Instance["store"], close: () => second.close() },
  ];
});

test.skipIf(!probe.ok && !CI)(`Postgres answers at ${POSTGRES_ADMIN_URL}`, () => {
  if (!probe.ok) throw new Error(`Cannot reach Postgres: ${probe.reason}`);
});
if (probe.ok) {
  const db = await createTestDatabase();
  afterAll(() => db.drop());
  runOnBothInstances("postgres", async () => {
    const harness = await makePostgresHarness(db);
    const second = await openTestStore(db);
    return [
      { store: harness.store, close: () => harness.cleanup() },
      { store: second, close: () => second.close() },
    ];
  });
}
