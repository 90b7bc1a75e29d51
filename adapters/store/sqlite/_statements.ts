/**
 * Raw `bun:sqlite` statements for the send path, derived from the drizzle schema so column
 * names have one source. The query builder costs more per call than the statement it runs,
 * and these run tens of thousands of times a second.
 *
 * @module
 */
import type { Database, SQLQueryBindings } from "bun:sqlite";
import { getTableColumns, getTableName } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";

/** `"table"."column" AS "property"` for every column: rows come back shaped like `$inferSelect`. */
export function selectList(table: SQLiteTable): string {
  const name = getTableName(table);
  return Object.entries(getTableColumns(table))
    .map(([property, column]) => `"${name}"."${column.name}" AS "${property}"`)
    .join(", ");
}

/** The property names of `table`'s columns, in the order of its INSERTs' values. */
export function insertKeys(table: SQLiteTable): readonly string[] {
  return Object.keys(getTableColumns(table));
}

/**
 * A row as the values of `table`'s INSERT, in column order (missing values are NULL): what
 * the main thread hands the writer thread, as a flat array is several times cheaper to pass
 * between threads than an object.
 */
export function insertValues(keys: readonly string[], row: object): SQLQueryBindings[] {
  const values = row as Record<string, SQLQueryBindings | undefined>;
  return keys.map((key) => values[key] ?? null);
}

/** The INSERT of every column of `table`, one `?` per column in {@linkcode insertKeys} order. */
export function insertSql(table: SQLiteTable): string {
  const entries = Object.entries(getTableColumns(table));
  const columns = entries.map(([, column]) => `"${column.name}"`).join(", ");
  const marks = entries.map(() => "?").join(", ");
  return `INSERT INTO "${getTableName(table)}" (${columns}) VALUES (${marks})`;
}

/**
 * A prepared INSERT of every column of `table`, bound positionally.
 *
 * @returns A function inserting one row given as its {@linkcode insertValues}.
 */
export function prepareInsertValues(
  db: Database,
  table: SQLiteTable,
): (values: readonly SQLQueryBindings[]) => void {
  const statement = db.prepare<unknown, SQLQueryBindings[]>(insertSql(table));
  return (values) => {
    statement.run(...values);
  };
}

/**
 * A prepared INSERT of every column of `table`, bound positionally; missing values are NULL.
 *
 * @returns A function inserting one row given as `$inferInsert`.
 */
export function prepareInsert<T extends SQLiteTable>(
  db: Database,
  table: T,
): (row: T["$inferInsert"]) => void {
  const keys = insertKeys(table);
  const insert = prepareInsertValues(db, table);
  return (row) => insert(insertValues(keys, row));
}
