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

/**
 * A prepared INSERT of every column of `table`, bound positionally; missing values are NULL.
 *
 * @returns A function inserting one row given as `$inferInsert`.
 */
export function prepareInsert<T extends SQLiteTable>(
  db: Database,
  table: T,
): (row: T["$inferInsert"]) => void {
  const entries = Object.entries(getTableColumns(table));
  const columns = entries.map(([, column]) => `"${column.name}"`).join(", ");
  const marks = entries.map(() => "?").join(", ");
  const statement = db.prepare<unknown, SQLQueryBindings[]>(
    `INSERT INTO "${getTableName(table)}" (${columns}) VALUES (${marks})`,
  );
  const keys = entries.map(([property]) => property);
  return (row) => {
    const values = row as Record<string, SQLQueryBindings | undefined>;
    statement.run(...keys.map((key) => values[key] ?? null));
  };
}
