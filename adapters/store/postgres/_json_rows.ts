/**
 * Multi-row INSERTs with one parameter: the rows go as one jsonb array and Postgres turns it
 * back into rows (`jsonb_populate_recordset`). The statement text is the same for 1 row or
 * 1 000, so each connection prepares it once; a VALUES list would be a new statement (parse,
 * plan, a bind of thousands of parameters) for every batch size.
 *
 * @module
 */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

/**
 * The rows of `table` as records keyed by column name, each value as the column's driver
 * value (`Date` → ISO text, jsonb → the document).
 */
function toRecords<T extends PgTable>(
  table: T,
  rows: readonly T["$inferInsert"][],
): Record<string, unknown>[] {
  const columns = Object.entries(getTableColumns(table));
  return rows.map((row) => {
    const values = row as Record<string, unknown>;
    const record: Record<string, unknown> = {};
    for (const [property, column] of columns) {
      const value = values[property];
      record[column.name] =
        value === undefined || value === null ? null : column.mapToDriverValue(value);
    }
    return record;
  });
}

/** `SELECT * FROM` the records of `rows`, typed as rows of `table`. */
function recordsOf<T extends PgTable>(table: T, rows: readonly T["$inferInsert"][]): SQL {
  return sql`SELECT * FROM jsonb_populate_recordset(NULL::${table}, ${sql.param(toRecords(table, rows))}::jsonb)`;
}

/** One INSERT of every row of `rows` into `table` (nothing when there are none). */
export function insertRows<T extends PgTable>(table: T, rows: readonly T["$inferInsert"][]): SQL {
  return sql`INSERT INTO ${table} ${recordsOf(table, rows)}`;
}
