/**
 * Opening the Postgres pool with the settings the store relies on.
 *
 * @module
 */
import { SQL } from "bun";

/** Connections in the pool unless told otherwise. */
export const DEFAULT_POOL_SIZE = 10;

/** The `application_name` of every connection, to tell Sendeasy's sessions in `pg_stat_activity`. */
export const APPLICATION_NAME = "sendeasy";

/**
 * Opens a pool of Bun's built-in Postgres client (no connection is made until the first
 * query). The database named in `url` is passed explicitly: Bun otherwise lets `PGDATABASE`
 * from the environment win over the URL's.
 *
 * @param url A `postgres://user:password@host:port/database` URL (`DATABASE_URL`).
 * @param options.max Connections at most; default {@linkcode DEFAULT_POOL_SIZE}.
 * @param options.applicationName Shown in `pg_stat_activity`; default {@linkcode APPLICATION_NAME}.
 * @returns The pool; the caller closes it.
 * @throws {TypeError} When `url` is not a postgres URL.
 *
 * @example
 * ```ts
 * const client = openPostgres(process.env.DATABASE_URL!);
 * await client`SELECT 1`;
 * await client.close();
 * ```
 */
export function openPostgres(
  url: string,
  options: { max?: number; applicationName?: string } = {},
): SQL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError("Cannot open Postgres: DATABASE_URL is not a URL");
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new TypeError(
      `Cannot open Postgres: the URL scheme is "${parsed.protocol}", expected "postgres:"`,
    );
  }
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  return new SQL({
    url,
    ...(database === "" ? {} : { database }),
    adapter: "postgres",
    max: options.max ?? DEFAULT_POOL_SIZE,
    // Idle connections go after a minute; a restarted server is reconnected to on demand.
    idleTimeout: 60,
    connectionTimeout: 10,
    connection: { application_name: options.applicationName ?? APPLICATION_NAME },
  });
}
