import type { Database } from "bun:sqlite";
import { afterAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "../../../../adapters/crypto/secret_box.ts";
import { sealSigningSecrets } from "../../../../adapters/store/_sealed.ts";
import {
  createSqliteStore,
  migrateSqlite,
  openSqlite,
  SQLITE_MIGRATIONS_FOLDER,
} from "../../../../adapters/store/sqlite/mod.ts";
import { TEST_KEY } from "../../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-migration-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}
const journal = JSON.parse(
  readFileSync(join(SQLITE_MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8"),
) as { entries: JournalEntry[] };
const init = journal.entries[0]!;

/** A migrations folder holding 0000 and then `extra` migrations (tag → SQL). */
function foldersWith(name: string, extra: Record<string, string> = {}): string {
  const folder = join(dir, name);
  mkdirSync(join(folder, "meta"), { recursive: true });
  copyFileSync(join(SQLITE_MIGRATIONS_FOLDER, `${init.tag}.sql`), join(folder, `${init.tag}.sql`));
  const entries = [init];
  for (const [tag, sql] of Object.entries(extra)) {
    writeFileSync(join(folder, `${tag}.sql`), sql);
    entries.push({ ...init, idx: entries.length, tag, when: init.when + entries.length });
  }
  writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  return folder;
}

const T = Date.UTC(2025, 0, 1);

/** A database at 0000 holding one row in every table, written as the 0.1 store wrote them. */
async function databaseAtInit(name: string): Promise<{ db: Database; path: string }> {
  const path = join(dir, `${name}.sqlite`);
  const db = openSqlite(path);
  migrateSqlite(db, { migrationsFolder: foldersWith(`${name}-0000`) });
  const box = await SecretBox.fromKey(TEST_KEY);
  const secrets = sealSigningSecrets(
    [{ secret: "whsec_old", createdAt: new Date(T), expiresAt: null }],
    box,
  );
  db.run("INSERT INTO companies VALUES ('co_1', 'Acme', ?)", [T]);
  db.run(
    `INSERT INTO channels (id, company_id, type, provider, name, address, config_sealed, credits, created_at)
     VALUES ('ch_1', 'co_1', 'sms', 'sandbox', 'Line', '+15550001111', ?, 5, ?)`,
    [box.encrypt("{}"), T],
  );
  db.run(
    `INSERT INTO integrations (id, company_id, kind, name, enabled, channel_id, created_at, updated_at,
       scope, url, signing_secrets_sealed)
     VALUES ('int_hook', 'co_1', 'webhook', 'CRM', 1, NULL, ?1, ?1, 'general', 'https://crm.example.com', ?2)`,
    [T, secrets],
  );
  db.run(
    `INSERT INTO integrations (id, company_id, kind, name, enabled, channel_id, created_at, updated_at,
       token_prefix, token_created_at)
     VALUES ('int_app', 'co_1', 'custom', 'App', 1, 'ch_1', ?1, ?1, 'Ab3dEf6h', ?1)`,
    [T],
  );
  db.run("INSERT INTO tokens VALUES (?, 'int_app', 'active', ?, NULL)", ["a".repeat(64), T]);
  db.run(
    `INSERT INTO messages (id, company_id, channel_id, channel_type, direction, status, provider,
       recipients, sender, payload, credits, history, created_at, updated_at)
     VALUES ('msg_1', 'co_1', 'ch_1', 'sms', 'outbound', 'sent', 'sandbox', '["+15550002222"]',
       '+15550001111', '{}', 1, '[]', ?1, ?1)`,
    [T],
  );
  for (const n of [1, 2]) {
    db.run(
      `INSERT INTO events VALUES ('evt_${n}', 'co_1', 'ch_1', 'message.sent', 'msg_1', '{"n":${n}}', ?)`,
      [T + n],
    );
  }
  db.run(
    `INSERT INTO deliveries VALUES ('dlv_done', 'co_1', 'evt_1', 'int_hook', 'succeeded', 1, NULL, NULL, 200, NULL, ?1, ?1),
       ('dlv_due', 'co_1', 'evt_2', 'int_hook', 'pending', 0, ?1, NULL, NULL, NULL, ?1, ?1)`,
    [T],
  );
  db.run(
    "INSERT INTO delivery_attempts VALUES ('att_1', 'dlv_done', 'scheduled', ?, 80, 200, 'ok', NULL)",
    [T],
  );
  return { db, path };
}

const TABLES = [
  "companies",
  "channels",
  "integrations",
  "tokens",
  "messages",
  "events",
  "deliveries",
  "delivery_attempts",
];
const dump = (db: Database) =>
  Object.fromEntries(TABLES.map((t) => [t, db.query(`SELECT * FROM ${t} ORDER BY rowid`).all()]));

describe("migration 0001 (webhook delivery) on a database created at 0000", () => {
  test("keeps every row, makes events.channel_id nullable and adds failing_since", async () => {
    const { db, path } = await databaseAtInit("upgrade");
    const before = dump(db);
    migrateSqlite(db);

    const after = dump(db);
    expect(after.events).toEqual(before.events);
    const { integrations, messages, ...rest } = after;
    const { integrations: oldIntegrations, messages: oldMessages, ...oldRest } = before;
    expect(rest).toEqual(oldRest);
    // Migration 0005 (asynchronous sends) adds the queue's columns, empty on every old message.
    const queue = { due_at: null, send_attempts: null, lease_until: null, send_key: null };
    expect(messages).toEqual(oldMessages!.map((row) => ({ ...(row as object), ...queue })));
    expect(integrations).toEqual(
      oldIntegrations!.map((row) => ({ ...(row as object), failing_since: null })),
    );

    const column = (table: string, name: string) =>
      db
        .query<{ name: string; notnull: number }, []>(`PRAGMA table_info(${table})`)
        .all()
        .find((c) => c.name === name);
    expect(column("events", "channel_id")?.notnull).toBe(0);
    expect(column("integrations", "failing_since")).toBeDefined();
    const indexes = (table: string) =>
      db
        .query<{ name: string }, []>(`PRAGMA index_list(${table})`)
        .all()
        .map((i) => i.name)
        .filter((n) => !n.startsWith("sqlite_"))
        .sort();
    expect(indexes("events")).toEqual([
      "events_company_channel_idx",
      "events_company_idx",
      "events_message_idx",
    ]);
    expect(indexes("deliveries")).toEqual([
      "deliveries_company_idx",
      "deliveries_event_idx",
      "deliveries_lease_idx",
      "deliveries_webhook_due_idx",
      "deliveries_webhook_idx",
    ]);
    // Foreign keys are back on, still point at the rebuilt table, and hold.
    expect(db.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
    expect(db.query("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(() =>
      db.run(
        "INSERT INTO deliveries VALUES ('dlv_x', 'co_1', 'evt_missing', 'int_hook', 'pending', 0, 0, NULL, NULL, NULL, 0, 0)",
      ),
    ).toThrow(/FOREIGN KEY/);
    db.close();

    // The store reads the upgraded rows and carries on.
    const store = createSqliteStore({ path, secretBox: await SecretBox.fromKey(TEST_KEY) });
    expect(
      (await store.deliveries.getDelivery("co_1", "dlv_done"))?.attempts.map((a) => a.id),
    ).toEqual(["att_1"]);
    const [claimed] = await store.deliveries.claimDue({
      now: new Date(T),
      limit: 10,
      leaseMs: 1000,
    });
    expect(claimed?.delivery.id).toBe("dlv_due");
    expect(claimed?.event).toMatchObject({ id: "evt_2", channelId: "ch_1", payload: '{"n":2}' });
    expect(claimed?.webhook).toMatchObject({ id: "int_hook", failingSince: null });
    await store.deliveries.saveEvent({
      event: {
        id: "evt_3",
        companyId: "co_1",
        channelId: null,
        type: "integration.test",
        messageId: null,
        payload: "{}",
        createdAt: new Date(T),
      },
      deliveries: [["dlv_3", "int_hook"]],
    });
    expect((await store.deliveries.getEvent("co_1", "evt_3"))?.channelId).toBeNull();
    await store.close();
  });

  test("a migration that would leave a dangling foreign key is rolled back whole", async () => {
    const { db } = await databaseAtInit("dangling");
    const before = dump(db);
    const applied = db.query("SELECT count(*) AS n FROM __drizzle_migrations").get();
    // A careless rebuild that forgets to copy the rows: deliveries would point at nothing.
    const folder = foldersWith("dangling-bad", {
      "0001_bad": [
        "CREATE TABLE `__new_events` (`id` text PRIMARY KEY NOT NULL, `company_id` text NOT NULL, `channel_id` text, `type` text NOT NULL, `message_id` text, `payload` text NOT NULL, `created_at` integer NOT NULL);",
        "DROP TABLE `events`;",
        "ALTER TABLE `__new_events` RENAME TO `events`;",
      ].join("--> statement-breakpoint\n"),
    });
    expect(() => migrateSqlite(db, { migrationsFolder: folder })).toThrow(
      /Cannot migrate SQLite: 2 row\(s\) would reference missing parents/,
    );
    expect(dump(db)).toEqual(before);
    expect(db.query("SELECT count(*) AS n FROM __drizzle_migrations").get()).toEqual(applied);
    expect(db.query("PRAGMA foreign_keys").get()).toEqual({ foreign_keys: 1 });
    db.close();
  });
});
