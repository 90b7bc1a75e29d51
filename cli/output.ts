/**
 * How the CLI prints: aligned tables, JSON, ages and dates, and API failures as the
 * `error: <message> (<code>, request <id>)` lines of the error shape of docs/api.md#errors.
 *
 * @module
 */
import type { ApiFailure } from "./http_client.ts";

/** One table column: its header and how a row shows in it. */
export interface Column<Row> {
  header: string;
  value(row: Row): string;
}

const GAP = "  ";

/**
 * Lays rows out as an aligned table: a header line, then one line per row, each column as wide
 * as its widest cell, columns two spaces apart, no trailing spaces.
 *
 * @param columns The columns, left to right.
 * @param rows The rows, top to bottom.
 * @returns The lines to print; only the header when there are no rows.
 *
 * @example
 * ```ts
 * formatTable([{ header: "ID", value: (c) => c.id }], [{ id: "ch_1" }]); // ["ID", "ch_1"]
 * ```
 */
export function formatTable<Row>(columns: readonly Column<Row>[], rows: readonly Row[]): string[] {
  const cells = [
    columns.map((column) => column.header),
    ...rows.map((row) => columns.map((column) => oneLine(column.value(row)))),
  ];
  const widths = columns.map((_, i) => Math.max(...cells.map((line) => width(line[i] ?? ""))));
  return cells.map((line) =>
    line
      .map((cell, i) => cell + " ".repeat((widths[i] ?? 0) - width(cell)))
      .join(GAP)
      .trimEnd(),
  );
}

// Code points rather than UTF-16 units, so "⚠" or an emoji in a name counts once.
const width = (text: string): number => [...text].length;

// A newline or tab in a server-provided name would break the table's alignment.
const oneLine = (text: string): string => text.replace(/[\r\n\t]+/g, " ");

/**
 * Serialises a value the way every `--json` output does: two-space indented.
 *
 * @param value Any JSON value.
 * @returns The JSON text, parseable by `JSON.parse` and `jq`.
 *
 * @example
 * ```ts
 * formatJson({ id: "ch_1" }); // '{\n  "id": "ch_1"\n}'
 * ```
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * Shows a duration the way the token table does: whole days, else hours, else minutes.
 *
 * @param ms A duration; negative values (clock skew) show as `0m`.
 * @returns e.g. `120d`, `5h`, `12m`.
 *
 * @example
 * ```ts
 * formatAge(3 * 86_400_000 + 5); // "3d"
 * ```
 */
export function formatAge(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe >= DAY_MS) return `${Math.floor(safe / DAY_MS)}d`;
  if (safe >= HOUR_MS) return `${Math.floor(safe / HOUR_MS)}h`;
  return `${Math.floor(safe / MINUTE_MS)}m`;
}

/**
 * Shows an ISO instant as its UTC calendar date.
 *
 * @param iso An ISO string from the API, or `null`/anything else.
 * @returns `YYYY-MM-DD`, the text unchanged when it is not a date, or `-` when absent.
 *
 * @example
 * ```ts
 * formatDate("2026-01-31T23:59:00.000Z"); // "2026-01-31"
 * ```
 */
export function formatDate(iso: unknown): string {
  if (typeof iso !== "string") return "-";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 10);
}

/**
 * Shows an ISO instant relative to now.
 *
 * @param iso An ISO string from the API, or `null`.
 * @param now Milliseconds since the Unix epoch.
 * @returns e.g. `3d ago`, or `never` when absent.
 *
 * @example
 * ```ts
 * formatAgo(null, Date.now()); // "never"
 * ```
 */
export function formatAgo(iso: unknown, now: number): string {
  if (typeof iso !== "string") return "never";
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${formatAge(now - ms)} ago`;
}

/**
 * Describes a failed request for stderr. A Sendeasy error reads
 * `error: <message> (<error>, request <requestId>)` followed by `  <path>: <message>` per detail.
 *
 * @param failure The failure from {@linkcode ApiClient}.
 * @returns The lines to print to stderr (never containing the request's credential).
 *
 * @example
 * ```ts
 * describeFailure(result);
 * // ["error: Invalid payload (VALIDATION_ERROR, request req_1)", "  /number: must match …"]
 * ```
 */
export function describeFailure(failure: ApiFailure): string[] {
  if (failure.code !== "HTTP_ERROR") return [`error: ${failure.message}`];
  const request = failure.requestId === null ? "" : `, request ${failure.requestId}`;
  if (failure.error === null) {
    const status = `${failure.status} ${failure.statusText}`.trim();
    return [`error: the server answered HTTP ${status} (no Sendeasy error body${request})`];
  }
  const { error, message, details } = failure.error;
  return [
    `error: ${message} (${error}${request})`,
    ...details.map((detail) => `  ${detail.path}: ${detail.message}`),
  ];
}
