import { describe, expect, test } from "bun:test";
import type { BunSQLDatabase } from "drizzle-orm/bun-sql";
import { AmbiguousCommitError, PgRunner } from "../../../../adapters/store/postgres/mod.ts";

/** A driver failure as Bun's SQL client raises it, optionally wrapped as drizzle does. */
function pgError(code: string, errno?: string, wrapped = false): Error {
  const error = Object.assign(new Error(`driver said ${errno ?? code}`), {
    code,
    ...(errno === undefined ? {} : { errno }),
  });
  return wrapped ? new Error("Failed query: …", { cause: error }) : error;
}

const DROPPED = () => pgError("ERR_POSTGRES_SERVER_ERROR", "57P01", true);
const REFUSED = () => pgError("ERR_POSTGRES_CONNECTION_REFUSED");
const DEADLOCK = () => pgError("ERR_POSTGRES_SERVER_ERROR", "40P01");
const UNIQUE = () => pgError("ERR_POSTGRES_SERVER_ERROR", "23505");

/** Fails with `failures` in turn, then answers "ok"; counts the calls. */
function flaky(failures: Array<() => Error>) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    run: () => {
      const failure = failures[calls++];
      return failure === undefined ? Promise.resolve("ok") : Promise.reject(failure());
    },
  };
}

/** A runner over a fake database whose transactions fail as told, before or at COMMIT. */
function runnerWithTransactions(outcomes: Array<{ at: "body" | "commit"; error: () => Error }>) {
  let calls = 0;
  const orm = {
    transaction: async <T>(body: (tx: unknown) => Promise<T>): Promise<T> => {
      const outcome = outcomes[calls++];
      if (outcome?.at === "body") throw outcome.error();
      const result = await body({});
      if (outcome?.at === "commit") throw outcome.error();
      return result;
    },
  } as unknown as BunSQLDatabase;
  return {
    runner: new PgRunner(orm, { retries: 3, baseDelayMs: 1 }),
    get calls() {
      return calls;
    },
  };
}

const fakeOrm = {} as unknown as BunSQLDatabase;

describe("PgRunner", () => {
  test("read() retries every transient failure, up to the limit", async () => {
    const runner = new PgRunner(fakeOrm, { retries: 3, baseDelayMs: 1 });
    const recovering = flaky([DROPPED, REFUSED, DEADLOCK]);
    expect(await runner.read(recovering.run)).toBe("ok");
    expect(recovering.calls).toBe(4);
    const down = flaky([DROPPED, DROPPED, DROPPED, DROPPED]);
    await expect(runner.read(down.run)).rejects.toThrow("Failed query");
    expect(down.calls).toBe(4);
    expect(runner.retried).toBe(6);
  });

  test("read() never retries a failure about the data", async () => {
    const runner = new PgRunner(fakeOrm, { retries: 3, baseDelayMs: 1 });
    const bad = flaky([UNIQUE]);
    await expect(runner.read(bad.run)).rejects.toThrow("23505");
    expect(bad.calls).toBe(1);
  });

  test("write() retries a statement that never left, not one whose answer was lost", async () => {
    const runner = new PgRunner(fakeOrm, { retries: 3, baseDelayMs: 1 });
    const refused = flaky([REFUSED]);
    expect(await runner.write(refused.run)).toBe("ok");
    expect(refused.calls).toBe(2);
    const dropped = flaky([DROPPED]);
    await expect(runner.write(dropped.run)).rejects.toThrow();
    expect(dropped.calls).toBe(1);
    const idempotent = flaky([DROPPED]);
    expect(await runner.write(idempotent.run, { idempotent: true })).toBe("ok");
    expect(idempotent.calls).toBe(2);
  });

  test("transaction() runs again when it broke before COMMIT", async () => {
    const fake = runnerWithTransactions([
      { at: "body", error: DROPPED },
      { at: "body", error: REFUSED },
    ]);
    let bodies = 0;
    expect(await fake.runner.transaction(async () => ++bodies)).toBe(1);
    expect(fake.calls).toBe(3);
  });

  test("transaction() reports a connection lost during COMMIT as ambiguous, never reruns it", async () => {
    const fake = runnerWithTransactions([{ at: "commit", error: DROPPED }]);
    const failure = fake.runner.transaction(async () => "done");
    await expect(failure).rejects.toBeInstanceOf(AmbiguousCommitError);
    expect(fake.calls).toBe(1);
  });

  test("transaction() reruns a deadlock even at COMMIT: the server rolled it back", async () => {
    const fake = runnerWithTransactions([{ at: "commit", error: DEADLOCK }]);
    expect(await fake.runner.transaction(async () => "done")).toBe("done");
    expect(fake.calls).toBe(2);
  });

  test("after close() nothing is retried", async () => {
    const runner = new PgRunner(fakeOrm, { retries: 3, baseDelayMs: 1 });
    runner.close();
    const dropped = flaky([DROPPED]);
    await expect(runner.read(dropped.run)).rejects.toThrow();
    expect(dropped.calls).toBe(1);
  });
});
