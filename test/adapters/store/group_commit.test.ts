import { Database } from "bun:sqlite";
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GroupCommit } from "../../../adapters/store/sqlite/group_commit.ts";
import { openSqlite } from "../../../adapters/store/sqlite/open_sqlite.ts";

let dir: string;
let path: string;
let db: Database;
let writes: GroupCommit;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sendeasy-group-commit-"));
  path = join(dir, "db.sqlite");
  db = openSqlite(path);
  db.run("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  writes = GroupCommit.for(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert =
  (id: number, v = "x") =>
  () =>
    db.query("INSERT INTO t (id, v) VALUES (?, ?)").run(id, v).changes;
const countFromAnotherConnection = (): number => {
  const other = new Database(path, { readonly: true });
  try {
    return other.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()?.n ?? 0;
  } finally {
    other.close();
  }
};

describe("GroupCommit", () => {
  test("GroupCommit.for() gives one instance per connection", () => {
    expect(GroupCommit.for(db)).toBe(writes);
    const other = new Database(":memory:");
    expect(GroupCommit.for(other)).not.toBe(writes);
    other.close();
  });

  test("writes queued in one loop turn commit in one transaction, and not before it", async () => {
    const before = writes.stats;
    const pending = Array.from({ length: 500 }, (_, i) => writes.write(insert(i)));
    // Nothing has run yet: the batch waits for the end of this turn.
    expect(countFromAnotherConnection()).toBe(0);
    expect(await Promise.all(pending)).toEqual(Array(500).fill(1));
    expect(countFromAnotherConnection()).toBe(500);
    expect(writes.stats).toEqual({ batches: before.batches + 1, writes: before.writes + 500 });
  });

  test("each caller gets its own result, in queue order", async () => {
    const results = await Promise.all([
      writes.write(() => "first"),
      writes.write(insert(1)),
      writes.write(() => db.query<{ n: number }, []>("SELECT count(*) AS n FROM t").get()?.n),
    ]);
    expect(results).toEqual(["first", 1, 1]);
  });

  test("a throwing write is rolled back alone and rejects only its caller", async () => {
    const results = await Promise.allSettled([
      writes.write(insert(1, "a")),
      writes.write(() => {
        insert(2, "half-done")();
        insert(1, "duplicate")();
      }),
      writes.write(insert(3, "c")),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = db.query<{ id: number; v: string }, []>("SELECT id, v FROM t ORDER BY id").all();
    expect(rows).toEqual([
      { id: 1, v: "a" },
      { id: 3, v: "c" },
    ]);
  });

  test("a lone throwing write rolls back and rejects", async () => {
    await writes.write(insert(1));
    await expect(
      writes.write(() => {
        insert(2)();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(countFromAnotherConnection()).toBe(1);
    expect(db.inTransaction).toBe(false);
  });

  test("when BEGIN fails every caller of the batch is rejected", async () => {
    // Another connection holds the write lock longer than the busy timeout allows… made short.
    db.run("PRAGMA busy_timeout = 10");
    const blocker = new Database(path);
    blocker.run("BEGIN IMMEDIATE");
    const results = await Promise.allSettled([writes.write(insert(1)), writes.write(insert(2))]);
    blocker.run("ROLLBACK");
    blocker.close();
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(db.inTransaction).toBe(false);
    expect(await writes.write(insert(3))).toBe(1);
  });

  test("writes queued in a later turn go into a later batch", async () => {
    const before = writes.stats.batches;
    await writes.write(insert(1));
    await writes.write(insert(2));
    expect(writes.stats.batches).toBe(before + 2);
  });

  test("flush() commits the queue at once", async () => {
    const pending = writes.write(insert(1));
    writes.flush();
    expect(countFromAnotherConnection()).toBe(1);
    expect(await pending).toBe(1);
  });
});

describe("GroupCommit.close()", () => {
  test("commits what is queued, then rejects new writes", async () => {
    const pending = writes.write(insert(1));
    writes.close();
    expect(await pending).toBe(1);
    expect(countFromAnotherConnection()).toBe(1);
    await expect(writes.write(insert(2))).rejects.toThrow(/store is closed/);
  });
});
