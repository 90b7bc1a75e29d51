/**
 * `sendeasy deliveries list|show|retry` (docs/api.md#webhooks, docs/api.md#admin-api, README.md#admin-api-and-cli): the webhook delivery log, its
 * attempts, and retries by hand.
 *
 * @module
 */

import type { AttemptView, DeliveryView } from "../../server/schemas/admin_views.ts";
import { checkIdPrefix, parseCount } from "../args.ts";
import {
  booleanFlag,
  type CliContext,
  COMPANY_FLAG,
  type Command,
  EXIT,
  type FlagSpec,
  JSON_FLAG,
  type ParsedArgs,
  positional,
  stringFlag,
  usage,
} from "../command.ts";
import { type ApiClient, type ApiFailure, isRecord, withQuery } from "../http_client.ts";
import { type Column, formatAge, formatJson, formatTable } from "../output.ts";
import { adminApi, cell, fail, printRows, rowsOf, unexpected } from "./_api.ts";
import { postAndPrintStatus } from "./_id_action.ts";
import { firstLine } from "./webhook_test_command.ts";

const DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

/** The default of `--limit`: delivery logs and event lists grow without bound. */
export const DEFAULT_LIMIT = 100;

/** `--limit N`: how many of the newest items a log listing prints. */
export const LIMIT_FLAG: FlagSpec = {
  type: "string",
  placeholder: "N",
  description: `print at most the newest N (default ${DEFAULT_LIMIT})`,
};

/**
 * Reads `--limit`.
 *
 * @returns The limit (at least 1), or `null` when the value is not a positive whole number.
 */
export function limitFlag(args: ParsedArgs): number | null {
  const raw = stringFlag(args, "limit");
  if (raw === undefined) return DEFAULT_LIMIT;
  const count = parseCount(raw);
  return count === null || count < 1 ? null : count;
}

/**
 * Fetches the newest `limit` items of a listing (docs/api.md#admin-api, newest first), page by page.
 *
 * @param api The admin client.
 * @param path The listing's path with its filters.
 * @param limit How many items at most.
 * @returns The items and whether the server has more, or the first failure.
 */
export async function listNewest(
  api: ApiClient,
  path: string,
  limit: number,
): Promise<{ ok: true; items: unknown[]; more: boolean } | ApiFailure> {
  const items: unknown[] = [];
  const seen = new Set<string>();
  let cursor: string | null = null;
  do {
    const query: Record<string, string> = { limit: String(Math.min(100, limit - items.length)) };
    if (cursor !== null) query.cursor = cursor;
    const result = await api.request("GET", withQuery(path, query));
    if (!result.ok) return result;
    const body = result.body;
    if (!isRecord(body) || !Array.isArray(body.data)) {
      return { ok: false, code: "BAD_RESPONSE", message: `GET ${path} did not answer a list` };
    }
    items.push(...body.data.slice(0, limit - items.length));
    cursor = typeof body.nextCursor === "string" && body.nextCursor !== "" ? body.nextCursor : null;
    if (cursor !== null && seen.has(cursor)) {
      return { ok: false, code: "BAD_RESPONSE", message: `GET ${path} repeated a cursor` };
    }
    if (cursor !== null) seen.add(cursor);
  } while (cursor !== null && items.length < limit);
  return { ok: true, items, more: cursor !== null };
}

/** Prints the note that a listing was cut at `--limit` (stderr: stdout stays the table). */
export function noteMore(ctx: CliContext, shown: number): void {
  ctx.err(`note: showing the newest ${shown}; pass --limit to see more`);
}

/**
 * When the next attempt is due, relative to now.
 *
 * @param iso `nextAttemptAt`, or `null` when none is scheduled.
 * @param now Milliseconds since the Unix epoch.
 * @returns e.g. `in 5m`, `due` when the time has come, `-` when none is scheduled.
 *
 * @example
 * ```ts
 * formatNext("2026-06-01T00:05:00Z", Date.parse("2026-06-01T00:00:00Z")); // "in 5m"
 * ```
 */
export function formatNext(iso: unknown, now: number): string {
  if (typeof iso !== "string") return "-";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  if (ms <= now) return "due";
  return ms - now < 60_000 ? "in <1m" : `in ${formatAge(ms - now)}`;
}

/** `deliveries list [--webhook int_…] [--status S] [--event evt_…] [--limit N] [--json]`. */
export const deliveriesList: Command = {
  noun: "deliveries",
  verb: "list",
  summary: "list webhook deliveries, newest first",
  flags: {
    webhook: { type: "string", placeholder: "int_…", description: "only this webhook's" },
    status: {
      type: "string",
      placeholder: DELIVERY_STATUSES.join("|"),
      description: "only deliveries in this state",
    },
    event: { type: "string", placeholder: "evt_…", description: "only this event's" },
    limit: LIMIT_FLAG,
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const query: Record<string, string> = {};
    const webhookId = stringFlag(args, "webhook");
    if (webhookId !== undefined) {
      const problem = checkIdPrefix(webhookId, "int_", "webhook");
      if (problem !== null) return usage(`--webhook: ${problem}`);
      query.webhookId = webhookId;
    }
    const eventId = stringFlag(args, "event");
    if (eventId !== undefined) {
      const problem = checkIdPrefix(eventId, "evt_", "webhook event");
      if (problem !== null) return usage(`--event: ${problem}`);
      query.eventId = eventId;
    }
    const status = stringFlag(args, "status");
    if (status !== undefined) {
      if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) {
        return usage(`--status must be one of ${DELIVERY_STATUSES.join(", ")}, got "${status}"`);
      }
      query.status = status;
    }
    const limit = limitFlag(args);
    if (limit === null) return usage(`--limit must be a whole number ≥ 1`);
    const api = adminApi(ctx, args);
    const result = await listNewest(api, withQuery("/api/admin/deliveries", query), limit);
    if (!result.ok) return fail(ctx, result);
    const rows = rowsOf<DeliveryView>(result.items);
    printRows(ctx, args, deliveryColumns(ctx.now()), rows);
    if (result.more) noteMore(ctx, rows.length);
    return EXIT.ok;
  },
};

/**
 * The delivery table's columns.
 *
 * @param now Milliseconds since the Unix epoch, for `NEXT ATTEMPT`.
 * @returns The columns, left to right.
 */
export function deliveryColumns(now: number): Column<Partial<DeliveryView>>[] {
  return [
    { header: "ID", value: (row) => cell(row.id) },
    { header: "EVENT", value: (row) => cell(row.eventId) },
    { header: "WEBHOOK", value: (row) => cell(row.webhookId) },
    { header: "STATUS", value: (row) => cell(row.status) },
    { header: "ATTEMPTS", value: (row) => cell(row.attempts) },
    { header: "LAST STATUS", value: lastStatus },
    { header: "NEXT ATTEMPT", value: (row) => formatNext(row.nextAttemptAt, now) },
  ];
}

function lastStatus(row: Partial<DeliveryView>): string {
  if (row.lastStatusCode != null) return String(row.lastStatusCode);
  // No status code but an error: the receiver was not reached (DNS, refused, timeout).
  return row.lastError ? "error" : "-";
}

/** `deliveries show dlv_…`: the delivery and its attempt log. */
export const deliveriesShow: Command = {
  noun: "deliveries",
  verb: "show",
  summary: "show a delivery and its attempts (time, status, duration, error, response)",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "dlv_…", description: "the delivery's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    const id = positional(args, 0);
    const problem = checkIdPrefix(id, "dlv_", "delivery");
    if (problem !== null) return usage(problem);
    const result = await adminApi(ctx, args).request(
      "GET",
      `/api/admin/deliveries/${encodeURIComponent(id)}`,
    );
    if (!result.ok) return fail(ctx, result);
    if (booleanFlag(args, "json")) {
      ctx.out(formatJson(result.body));
      return EXIT.ok;
    }
    const body = result.body;
    if (!isRecord(body) || !Array.isArray(body.attempts)) return unexpected(ctx, "no attempts");
    const now = ctx.now();
    ctx.out(`delivery  ${cell(body.id)}`);
    ctx.out(`event     ${cell(body.eventId)}`);
    ctx.out(`webhook   ${cell(body.webhookId)}`);
    ctx.out(`status    ${cell(body.status)}`);
    ctx.out(`next      ${formatNext(body.nextAttemptAt, now)}`);
    ctx.out("");
    for (const line of formatTable(ATTEMPT_COLUMNS, rowsOf<AttemptView>(body.attempts)))
      ctx.out(line);
    return EXIT.ok;
  },
};

/** The attempt log's columns, left to right. */
export const ATTEMPT_COLUMNS: readonly Column<Partial<AttemptView>>[] = [
  { header: "TIME", value: (row) => cell(row.startedAt) },
  { header: "TRIGGER", value: (row) => cell(row.trigger) },
  { header: "STATUS", value: (row) => cell(row.statusCode) },
  {
    header: "DURATION",
    value: (row) => (row.durationMs === undefined ? "-" : `${row.durationMs} ms`),
  },
  { header: "ERROR", value: (row) => cell(row.error) },
  { header: "RESPONSE", value: (row) => firstLine(row.responseBody) || "-" },
];

/** `deliveries retry dlv_…`: makes the delivery due now; prints its id and new status. */
export const deliveriesRetry: Command = {
  noun: "deliveries",
  verb: "retry",
  summary: "retry a delivery now; print its id and new status",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "dlv_…", description: "the delivery's id" }],
  needsAdminKey: true,
  run: (args, ctx) =>
    postAndPrintStatus(ctx, args, {
      prefix: "dlv_",
      noun: "delivery",
      path: (id) => `/api/admin/deliveries/${id}/retry`,
    }),
};

/** Every `deliveries` command. */
export const deliveriesCommands: readonly Command[] = [
  deliveriesList,
  deliveriesShow,
  deliveriesRetry,
];
