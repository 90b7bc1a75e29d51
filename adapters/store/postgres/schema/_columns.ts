/**
 * Column helpers shared by the Postgres tables: one definition of "a point in time" and of
 * "a JSON document", so every table stores them alike.
 *
 * @module
 */
import { customType, timestamp } from "drizzle-orm/pg-core";

/**
 * A point in time: `timestamp(3) with time zone`, read and written as a `Date`. Millisecond
 * precision, like the `Date` values of the domain, so a value round-trips exactly and a lease
 * compares equal to the `Date` it was written from.
 *
 * @param name The column name.
 * @returns The column builder.
 */
export function instant(name: string) {
  return timestamp(name, { withTimezone: true, mode: "date", precision: 3 });
}

/**
 * A `jsonb` column that hands the JS value to the driver unserialized.
 *
 * drizzle's own `jsonb()` stringifies the value and Bun's SQL client stringifies it again, so
 * Postgres stores a JSON *string* (`jsonb_typeof = 'string'`) instead of the object
 * (drizzle-team/drizzle-orm#4942, fixed only in drizzle v1 beta). Bun serializes objects and
 * arrays bound to a jsonb parameter itself, so passing the value through stores the document.
 * Only objects and arrays are stored here; a string read back (another driver, or a future
 * Bun that returns text) is parsed.
 *
 * @param name The column name.
 * @returns The column builder; type it with `.$type<T>()`.
 */
export function jsonDocument(name: string) {
  return customType<{ data: unknown; driverData: unknown }>({
    dataType: () => "jsonb",
    toDriver: (value) => value,
    fromDriver: (value) => (typeof value === "string" ? JSON.parse(value) : value),
  })(name);
}
