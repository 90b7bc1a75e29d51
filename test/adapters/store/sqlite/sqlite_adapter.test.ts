import { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "../../../../adapters/crypto/secret_box.ts";
import {
  BUSY_TIMEOUT_MS,
  createSqliteStore,
  migrateSqlite,
  openSqlite,
  type SqliteStore,
} from "../../../../adapters/store/sqlite/mod.ts";
import type { Channel, CustomIntegration } from "../../../../core/domain.ts";
import { expectRejection } from "../../../support/rejection.ts";
import { makeSqliteHarness, TEST_KEY } from "../../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-adapter-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = new Date(Date.UTC(2025, 0, 1));
const channel: Channel = {
  id: "ch_1",
  companyId: "co_1",
  type: "sms",
  provider: "twilio",
  name: "Line",
  address: "+15550001111",
  config: { authToken: "secret" },
  credits: 10,
  createdAt: T,
  deletedAt: null,
};
const app: CustomIntegration = {
  id: "int_1",
  companyId: "co_1",
  name: "App",
  enabled: true,
  createdAt: T,
  updatedAt: T,
  kind: "custom",
  channelId: "ch_1",
  tokenPrefix: "Ab3dEf6h",
  tokenCreatedAt: T,
  rotatedAt: null,
  lastUsedAt: null,
  expiresAt: null,
  rateLimit: null,
};

async function seeded(): Promise<{ store: SqliteStore; path: string; cleanup(): Promise<void> }> {
  const harness = await makeSqliteHarness(dir);
  await harness.store.companies.createCompany({ id: "co_1", name: "Acme", createdAt: T });
  await harness.store.channels.createChannel(channel);
  await harness.store.integrations.createCustom(app, {
    hash: "a".repeat(64),
    integrationId: "int_1",
    status: "active",
    createdAt: T,
    expiresAt: null,
  });
  return harness;
}

describe("openSqlite()", () => {
  test("sets WAL, synchronous = FULL, the busy timeout and foreign keys", () => {
    const db = openSqlite(join(dir, "nested", "deeper", "pragmas.sqlite"));
    const pragma = (name: string) => Object.values(db.query(`PRAGMA ${name}`).get() ?? {})[0];
    expect(pragma("journal_mode")).toBe("wal");
    expect(pragma("synchronous")).toBe(2);
    expect(pragma("busy_timeout")).toBe(BUSY_TIMEOUT_MS);
    expect(pragma("foreign_keys")).toBe(1);
    db.close();
  });

  test("waits for another process's lock instead of failing with 'database is locked'", async () => {
    const path = join(dir, "locked.sqlite");
    openSqlite(path).close();
    // Another process holds the file in exclusive locking mode for a moment, as a second
    // connection opening during a checkpoint or a migration would find it.
    const holder = Bun.spawn(
      [
        process.execPath,
        "-e",
        `const { Database } = require("bun:sqlite");
         const db = new Database(${JSON.stringify(path)});
         db.run("PRAGMA locking_mode = EXCLUSIVE");
         db.run("CREATE TABLE IF NOT EXISTS t (x)");
         db.run("INSERT INTO t VALUES (1)");
         console.log("locked");
         setTimeout(() => db.close(), 400);`,
      ],
      { stdout: "pipe" },
    );
    const reader = holder.stdout.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toContain("locked");
    const db = openSqlite(path);
    expect(Object.values(db.query("PRAGMA journal_mode").get() ?? {})[0]).toBe("wal");
    db.close();
    expect(await holder.exited).toBe(0);
  });
});

describe("migrateSqlite()", () => {
  test("creates every table and is idempotent", () => {
    const db = openSqlite(join(dir, "migrate.sqlite"));
    migrateSqlite(db);
    const tables = () =>
      db
        .query<{ name: string }, []>(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .all()
        .map((r) => r.name);
    const first = tables();
    expect(first).toEqual([
      "__drizzle_migrations",
      "admin_keys",
      "admin_sessions",
      "change_generations",
      "channels",
      "companies",
      "deliveries",
      "delivery_attempts",
      "events",
      "idempotency_records",
      "integrations",
      "job_leases",
      "messages",
      "operator_alerts",
      "status_reports",
      "suppressions",
      "tokens",
      "whatsapp_contacts",
    ]);
    const applied = db.query("SELECT count(*) AS n FROM __drizzle_migrations").get();
    migrateSqlite(db);
    expect(tables()).toEqual(first);
    expect(db.query("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual(applied);
    db.close();
  });
});

describe("SQLite adapter specifics", () => {
  test("touchTokenUse() writes at most once per integration per second", async () => {
    const { store, cleanup } = await seeded();
    const lastUsed = async () => {
      const found = await store.integrations.getIntegration("co_1", "int_1");
      return found?.kind === "custom" ? found.lastUsedAt : null;
    };
    const before = store.writeStats().writes;
    for (let ms = 0; ms < 1000; ms += 10) {
      store.integrations.touchTokenUse("int_1", new Date(T.getTime() + 5000 + ms));
    }
    await store.channels.refundCredits("ch_1", 0); // a write queued behind the touches
    expect(store.writeStats().writes - before).toBe(2);
    expect(await lastUsed()).toEqual(new Date(T.getTime() + 5000));
    store.integrations.touchTokenUse("int_1", new Date(T.getTime() + 6000));
    await store.channels.refundCredits("ch_1", 0);
    expect(await lastUsed()).toEqual(new Date(T.getTime() + 6000));
    await cleanup();
  });

  test("a burst of sends from 64 callers shares a handful of transactions", async () => {
    const { store, cleanup } = await seeded();
    const before = store.writeStats();
    await Promise.all(Array.from({ length: 64 }, () => store.channels.takeCredits("ch_1", 0)));
    const after = store.writeStats();
    expect(after.writes - before.writes).toBe(64);
    expect(after.batches - before.batches).toBe(1);
    await cleanup();
  });

  test("caller bugs reject with a clear error instead of passing as 'not found'", async () => {
    const { store, cleanup } = await seeded();
    await expectRejection(store.channels.takeCredits("ch_1", -1), RangeError);
    await expectRejection(store.channels.refundCredits("ch_1", 1.5), RangeError);
    expect(() => store.channels.listChannels("co_1", { limit: 0 })).toThrow(RangeError);
    await expectRejection(
      store.integrations.updateIntegration("co_1", "int_1", { url: "https://x.test" }, T),
      /Cannot patch "url" of integration "int_1": it is a custom integration/,
    );
    expect((await store.channels.getChannel("co_1", "ch_1"))?.credits).toBe(10);
    await cleanup();
  });

  test("a database opened with another key fails loudly on sealed columns", async () => {
    const { store, path, cleanup } = await seeded();
    await store.close();
    const wrongKey = await SecretBox.fromKey("not the key that sealed these values");
    const reopened = createSqliteStore({ path, secretBox: wrongKey });
    expect(() => reopened.channels.getChannel("co_1", "ch_1")).toThrow(/another key/);
    expect(() => reopened.tokens.findTokenByHash("a".repeat(64))).toThrow(/another key/);
    await reopened.close();
    await cleanup();
  });

  test("idempotency.pruneExpired() deletes only records expired at that time", async () => {
    const { store, cleanup } = await seeded();
    const options = (now: number) => ({ fingerprint: "fp", now, ttlMs: 1000 });
    await store.idempotency.claim("int_1", "old", options(0));
    await store.idempotency.claim("int_1", "new", options(500));
    expect(await store.idempotency.pruneExpired(1000)).toBe(1);
    expect(await store.idempotency.claim("int_1", "new", options(1001))).toEqual({
      state: "in_progress",
    });
    expect(await store.idempotency.pruneExpired(1500)).toBe(1);
    await cleanup();
  });

  test("close() commits the writes still queued", async () => {
    const { store, path, cleanup } = await seeded();
    const take = store.channels.takeCredits("ch_1", 4);
    await store.close();
    expect(await take).toEqual({ ok: true, remaining: 6 });
    const db = new Database(path, { readonly: true });
    expect(db.query("SELECT credits FROM channels WHERE id = 'ch_1'").get()).toEqual({
      credits: 6,
    });
    db.close();
    await expectRejection(store.channels.refundCredits("ch_1", 1), /closed/);
    await cleanup();
  });

  test("writes that resolved survive a SIGKILL of the process", async () => {
    const path = join(dir, "crash.sqlite");
    const child = Bun.spawn(
      [process.execPath, join(import.meta.dir, "_crash_writer.ts"), path, "500", TEST_KEY],
      { stdout: "pipe", stderr: "pipe" },
    );
    const [stdout, stderr] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    await child.exited;
    expect(stderr).toBe("");
    expect(stdout).toBe("resolved 500\n");
    expect(child.signalCode).toBe("SIGKILL");
    // The process never checkpointed: the rows live in the WAL that a new connection replays.
    expect(existsSync(`${path}-wal`)).toBe(true);
    const db = new Database(path, { readonly: true });
    expect(db.query("SELECT count(*) AS n FROM messages").get()).toEqual({ n: 500 });
    db.close();
  });
});
