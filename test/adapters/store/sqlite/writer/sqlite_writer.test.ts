import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrateSqlite } from "../../../../../adapters/store/sqlite/migrate_sqlite.ts";
import { openSqlite } from "../../../../../adapters/store/sqlite/open_sqlite.ts";
import type { BatchResult } from "../../../../../adapters/store/sqlite/writer/batch.ts";
import { InlineRunner } from "../../../../../adapters/store/sqlite/writer/inline_runner.ts";
import {
  type BatchRunner,
  SqliteWriter,
} from "../../../../../adapters/store/sqlite/writer/sqlite_writer.ts";
import { ThreadRunner } from "../../../../../adapters/store/sqlite/writer/thread_runner.ts";
import type {
  WriteCall,
  WriteOpName,
} from "../../../../../adapters/store/sqlite/writer/write_ops.ts";
import type { Channel, DeliveryAttempt } from "../../../../../core/domain.ts";
import { expectRejection } from "../../../../support/rejection.ts";

const T = new Date(Date.UTC(2025, 0, 1));
const CRASHING_WRITER = join(import.meta.dir, "_crashing_writer.ts");

let dir: string;
let path: string;
let db: Database;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sendeasy-writer-"));
  path = join(dir, "db.sqlite");
  db = openSqlite(path);
  migrateSqlite(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Reads through a connection opened for this read only: it sees only what was committed. */
function fromNewConnection<T>(sql: string): T | null {
  const other = new Database(path, { readonly: true });
  try {
    return other.query<T, []>(sql).get();
  } finally {
    other.close();
  }
}
const companyCount = (): number =>
  fromNewConnection<{ n: number }>("SELECT count(*) AS n FROM companies")?.n ?? 0;
const company = (id: string) => ({ id, name: `Company ${id}`, createdAt: T });
const channel = (id: string, credits: number | null): Channel => ({
  id,
  companyId: "co_1",
  type: "sms",
  provider: "sandbox",
  name: "Line",
  address: "+15550001111",
  config: {},
  credits,
  createdAt: T,
  deletedAt: null,
});
const channelRow = (c: Channel) => ({
  ...c,
  config: undefined,
  configSealed: "v1:not-opened-here",
  createdAt: c.createdAt.getTime(),
  deletedAt: null,
});

const kinds = {
  thread: () => new SqliteWriter(new ThreadRunner(path)),
  inline: () => new SqliteWriter(new InlineRunner(db)),
} as const;

for (const [kind, makeWriter] of Object.entries(kinds)) {
  describe(`SqliteWriter (${kind})`, () => {
    let writes: SqliteWriter;
    beforeEach(() => {
      writes = makeWriter();
    });
    afterEach(() => writes.close());

    test("writes queued in one loop turn commit in one transaction, and not before it", async () => {
      const before = writes.stats;
      const pending = Array.from({ length: 500 }, (_, i) =>
        writes.write("companies.insert", [company(`co_${i}`)]),
      );
      expect(companyCount()).toBe(0);
      await Promise.all(pending);
      expect(companyCount()).toBe(500);
      expect(writes.stats).toEqual({ batches: before.batches + 1, writes: before.writes + 500 });
    });

    test("a resolved write is durable: a new connection on the file sees it", async () => {
      await writes.write("companies.insert", [company("co_1")]);
      expect(fromNewConnection<{ id: string }>("SELECT id FROM companies")).toEqual({
        id: "co_1",
      });
    });

    test("writes across stores run in call order and each caller gets its own result", async () => {
      const results = await Promise.all([
        writes.write("companies.insert", [company("co_1")]),
        writes.write("channels.insert", [channelRow(channel("ch_1", 3))]),
        writes.write("channels.takeCredits", ["ch_1", 2]),
        writes.write("channels.takeCredits", ["ch_1", 2]),
        writes.write("channels.refundCredits", ["ch_1", 5]),
        writes.write("channels.takeCredits", ["ch_1", 6]),
        writes.write("idempotency.claim", ["s", "k", { fingerprint: "f", now: 0, ttlMs: 10 }]),
        writes.write("idempotency.claim", ["s", "k", { fingerprint: "f", now: 1, ttlMs: 10 }]),
      ]);
      expect(results).toEqual([
        undefined,
        undefined,
        { ok: true, remaining: 1 },
        { ok: false, code: "NO_CREDITS", balance: 1 },
        undefined,
        { ok: true, remaining: 0 },
        { state: "claimed" },
        { state: "in_progress" },
      ]);
    });

    test("a failing write is rolled back alone and rejects only its caller, with SQLite's code", async () => {
      await writes.write("companies.insert", [company("co_1")]);
      const results = await Promise.allSettled([
        writes.write("companies.insert", [company("co_2")]),
        writes.write("channels.insert", [channelRow(channel("ch_9", null))]),
        // A duplicate key after a row of its own: both must go.
        writes.write("companies.insert", [company("co_1")]),
        writes.write("companies.insert", [company("co_3")]),
      ]);
      expect(results.map((r) => r.status)).toEqual([
        "fulfilled",
        "fulfilled",
        "rejected",
        "fulfilled",
      ]);
      const failure = results[2] as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(Error);
      expect((failure.reason as { code?: string }).code).toBe("SQLITE_CONSTRAINT_PRIMARYKEY");
      expect(companyCount()).toBe(3);
    });

    test("errors keep their type across the thread boundary", async () => {
      const attempt: DeliveryAttempt = {
        id: "att_1",
        deliveryId: "dlv_other",
        trigger: "scheduled",
        startedAt: T,
        durationMs: 5,
        statusCode: 200,
        responseBody: "",
        error: null,
      };
      const outcome = {
        status: "succeeded" as const,
        nextAttemptAt: null,
        lastStatusCode: 200,
        lastError: null,
        webhookSucceeded: true,
      };
      const contradiction = await expectRejection(
        writes.write("deliveries.settle", [
          { deliveryId: "dlv_1", leaseUntil: T },
          attempt,
          outcome,
        ]),
        TypeError,
      );
      expect((contradiction as Error).message).toMatch(/it is an attempt of "dlv_other"/);
      const unknown = writes.write("no.such" as WriteOpName, [] as never);
      await expectRejection(unknown, TypeError);
      await expectRejection(
        writes.write("deliveries.add", ["evt_missing", [], 0]),
        /event "evt_missing": it does not exist/,
      );
      // The failures left the writer usable.
      await writes.write("companies.insert", [company("co_1")]);
      expect(companyCount()).toBe(1);
    });

    test("close() commits what is queued, then refuses writes", async () => {
      const pending = writes.write("companies.insert", [company("co_1")]);
      await writes.close();
      await pending;
      expect(companyCount()).toBe(1);
      await expectRejection(writes.write("companies.insert", [company("co_2")]), /store is closed/);
      expect(companyCount()).toBe(1);
    });

    test("when BEGIN cannot get the lock, every caller of the batch is rejected", async () => {
      db.run("PRAGMA busy_timeout = 10");
      const blocker = new Database(path);
      blocker.run("BEGIN IMMEDIATE");
      const results = await Promise.allSettled([
        writes.write("companies.insert", [company("co_1")]),
        writes.write("companies.insert", [company("co_2")]),
      ]);
      blocker.run("ROLLBACK");
      blocker.close();
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
      await writes.write("companies.insert", [company("co_3")]);
      expect(companyCount()).toBe(1);
    }, 15_000); // The writer thread keeps the product's 5 s busy timeout.
  });
}

describe("SqliteWriter with a batch in flight", () => {
  /** Runs batches on the real connection but answers only when the test says so. */
  class HeldRunner implements BatchRunner {
    readonly #inner = new InlineRunner(db);
    readonly held: { size: number; answer: () => void }[] = [];
    run(calls: readonly WriteCall[]): Promise<BatchResult> {
      const result = this.#inner.run(calls);
      return new Promise((resolve) =>
        this.held.push({ size: calls.length, answer: () => resolve(result) }),
      );
    }
    close(): Promise<void> {
      return Promise.resolve();
    }
  }
  const turn = () => new Promise((resolve) => setImmediate(resolve));

  test("past two batches in flight, later turns' writes wait and go as ONE batch", async () => {
    const runner = new HeldRunner();
    const writes = new SqliteWriter(runner);
    const pending = [];
    for (let i = 1; i <= 5; i++) {
      pending.push(writes.write("companies.insert", [company(`co_${i}`)]));
      await turn();
    }
    // Turns 1 and 2 each sent a batch; turns 3 to 5 wait behind them.
    expect(runner.held.map((b) => b.size)).toEqual([1, 1]);
    runner.held[0]?.answer();
    await pending[0];
    // Sent as soon as a batch came back, without waiting for another loop turn.
    expect(runner.held.map((b) => b.size)).toEqual([1, 1, 3]);
    runner.held[1]?.answer();
    runner.held[2]?.answer();
    await Promise.all(pending);
    expect(writes.stats).toEqual({ batches: 3, writes: 5 });
    expect(companyCount()).toBe(5);
  });

  test("with one batch in flight allowed, the second waits for the first", async () => {
    const runner = new HeldRunner();
    const writes = new SqliteWriter(runner, { maxBatchesInFlight: 1 });
    const first = writes.write("companies.insert", [company("co_1")]);
    await turn();
    const second = writes.write("companies.insert", [company("co_2")]);
    await turn();
    expect(runner.held.map((b) => b.size)).toEqual([1]);
    runner.held[0]?.answer();
    await first;
    expect(runner.held.map((b) => b.size)).toEqual([1, 1]);
    runner.held[1]?.answer();
    await second;
  });

  test("close() sends what is queued even while batches are in flight", async () => {
    const runner = new HeldRunner();
    const writes = new SqliteWriter(runner, { maxBatchesInFlight: 1 });
    const first = writes.write("companies.insert", [company("co_1")]);
    await turn();
    const second = writes.write("companies.insert", [company("co_2")]);
    const closed = writes.close();
    expect(runner.held.map((b) => b.size)).toEqual([1, 1]);
    for (const batch of runner.held) batch.answer();
    await Promise.all([first, second, closed]);
    expect(companyCount()).toBe(2);
  });
});

describe("SqliteWriter on a writer thread that dies", () => {
  for (const mode of ["throw", "exit"]) {
    test(`a thread that dies (${mode}) rejects the pending writes and every later one`, async () => {
      const writes = new SqliteWriter(new ThreadRunner(mode, { workerUrl: CRASHING_WRITER }));
      const results = await Promise.allSettled([
        writes.write("companies.insert", [company("co_1")]),
        writes.write("companies.insert", [company("co_2")]),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
      expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/writer thread/);
      await expectRejection(writes.write("companies.insert", [company("co_3")]), /writer thread/);
      await writes.close();
    });
  }
});
