import { describe, expect, test } from "bun:test";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { migrationsFrom } from "../../../adapters/store/embedded_migrations.ts";
import { POSTGRES_MIGRATIONS_FOLDER } from "../../../adapters/store/postgres/mod.ts";
import { POSTGRES_MIGRATIONS } from "../../../adapters/store/postgres/postgres_migrations.ts";
import { SQLITE_MIGRATIONS_FOLDER } from "../../../adapters/store/sqlite/mod.ts";
import { SQLITE_MIGRATIONS } from "../../../adapters/store/sqlite/sqlite_migrations.ts";

// The executable carries the migrations as imported text; they must be exactly what
// drizzle-kit wrote into drizzle/. Stale after `drizzle-kit generate`? Run
// `bun scripts/embed_migrations.ts`.
describe("embedded migrations", () => {
  test("the SQLite list is drizzle/sqlite/, file for file", () => {
    const onDisk = readMigrationFiles({ migrationsFolder: SQLITE_MIGRATIONS_FOLDER });
    expect(onDisk.length).toBeGreaterThan(0);
    expect([...SQLITE_MIGRATIONS]).toEqual(onDisk);
  });

  test("the PostgreSQL list is drizzle/postgres/, file for file", () => {
    const onDisk = readMigrationFiles({ migrationsFolder: POSTGRES_MIGRATIONS_FOLDER });
    expect(onDisk.length).toBeGreaterThan(0);
    expect([...POSTGRES_MIGRATIONS]).toEqual(onDisk);
  });

  test("a journal entry without its file is an error naming it", () => {
    const journal = { entries: [{ tag: "0009_gone", when: 1, breakpoints: true }] };
    expect(() => migrationsFrom(journal, {})).toThrow("0009_gone.sql");
  });
});
