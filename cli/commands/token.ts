/**
 * `sendeasy token create|list|rotate|revoke` (docs/api.md#tokens, README.md#admin-api-and-cli): custom integrations and their
 * bearer tokens. A token is printed once, alone on the last stdout line, so
 * `sendeasy token create … | tail -1` captures it.
 *
 * @module
 */
import { isTokenExpired, isTokenOld } from "../../core/tokens.ts";
import type { CustomIntegrationView } from "../../server/schemas/admin_views.ts";
import { checkIdPrefix, parseDuration, parseInstant } from "../args.ts";
import {
  booleanFlag,
  type CliContext,
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  type ParsedArgs,
  positional,
  requiredFlag,
  stringFlag,
  usage,
} from "../command.ts";
import { type Column, formatAge, formatAgo, formatDate, formatJson } from "../output.ts";
import {
  adminApi,
  cell,
  fail,
  postCreation,
  printIdAndSecret,
  printRows,
  readString,
  rowsOf,
  unexpected,
} from "./_api.ts";

const TOKEN_NOTE = "note: the token above is shown only once; store it now";

/** `token create --channel ch_… --name N [--expires-at ISO]`: prints the id, then the token. */
export const tokenCreate: Command = {
  noun: "token",
  verb: "create",
  summary: "create a custom integration; print its id, then its token (shown once)",
  flags: {
    channel: {
      type: "string",
      required: true,
      placeholder: "ch_…",
      description: "the channel the token sends through",
    },
    name: { type: "string", required: true, placeholder: "N", description: "integration name" },
    "expires-at": {
      type: "string",
      placeholder: "ISO",
      description: "expiry, e.g. 2026-12-31T00:00:00Z (default never)",
    },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const channelId = requiredFlag(args, "channel");
    const problem = checkIdPrefix(channelId, "ch_", "channel");
    if (problem !== null) return usage(`--channel: ${problem}`);
    const body: Record<string, unknown> = {
      kind: "custom",
      name: requiredFlag(args, "name"),
      channelId,
    };
    const expiresAt = stringFlag(args, "expires-at");
    if (expiresAt !== undefined) {
      const instant = parseInstant(expiresAt);
      if (instant === null)
        return usage(`--expires-at must be an ISO date-time, got "${expiresAt}"`);
      body.expiresAt = instant;
    }
    const created = await postCreation(ctx, args, { path: "/api/admin/integrations", json: body });
    if ("exit" in created) return created.exit;
    return printIdAndSecret(ctx, created.body, {
      id: ["integration", "id"],
      secret: ["token"],
      note: TOKEN_NOTE,
    });
  },
};

/** `token list [--older-than 90d] [--json]`: custom integrations, old tokens flagged. */
export const tokenList: Command = {
  noun: "token",
  verb: "list",
  summary: "list custom integrations; tokens older than 90 days are flagged",
  flags: {
    "older-than": {
      type: "string",
      placeholder: "90d",
      description: "only tokens issued longer ago than this (h, d or w)",
    },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const olderThan = stringFlag(args, "older-than");
    const duration = olderThan === undefined ? null : parseDuration(olderThan);
    if (duration !== null && !duration.ok) return usage(`--older-than: ${duration.message}`);
    const result = await adminApi(ctx, args).listAll("/api/admin/integrations?kind=custom");
    if (!result.ok) return fail(ctx, result);
    const now = ctx.now();
    const minAge = duration?.ms ?? null;
    const rows = rowsOf<CustomIntegrationView>(result.items).filter((row) => {
      if (row.kind !== "custom") return false;
      if (minAge === null) return true;
      const age = tokenAge(row, now);
      return age !== null && age > minAge;
    });
    printRows(ctx, args, tokenColumns(now), rows);
    return EXIT.ok;
  },
};

/**
 * How long ago the integration's current token was issued.
 *
 * @param row A custom integration view.
 * @param now Milliseconds since the Unix epoch.
 * @returns Milliseconds, or `null` when `tokenCreatedAt` is absent or not a date.
 */
export function tokenAge(row: Partial<CustomIntegrationView>, now: number): number | null {
  const created = row.tokenCreatedAt === undefined ? NaN : Date.parse(row.tokenCreatedAt);
  return Number.isNaN(created) ? null : now - created;
}

/**
 * The token table's columns. `AGE` reads e.g. `120d ⚠ rotate` past 90 days (docs/api.md#tokens).
 *
 * @param now Milliseconds since the Unix epoch.
 * @returns The columns, left to right.
 */
export function tokenColumns(now: number): Column<Partial<CustomIntegrationView>>[] {
  return [
    { header: "ID", value: (row) => cell(row.id) },
    { header: "NAME", value: (row) => cell(row.name) },
    { header: "CHANNEL", value: (row) => cell(row.channelId) },
    {
      header: "TOKEN",
      value: (row) => (row.tokenPrefix === undefined ? "-" : `${row.tokenPrefix}…`),
    },
    { header: "STATUS", value: (row) => tokenStatus(row, now) },
    { header: "LAST USED", value: (row) => formatAgo(row.lastUsedAt, now) },
    {
      header: "EXPIRES",
      value: (row) => (row.expiresAt === null ? "never" : formatDate(row.expiresAt)),
    },
    { header: "AGE", value: (row) => ageCell(row, now) },
  ];
}

function ageCell(row: Partial<CustomIntegrationView>, now: number): string {
  const age = tokenAge(row, now);
  if (age === null) return "-";
  // The same 90-day rule as the server's `tokenOld` and the settings page (docs/api.md#tokens).
  return isTokenOld(new Date(now - age), now) ? `${formatAge(age)} ⚠ rotate` : formatAge(age);
}

function tokenStatus(row: Partial<CustomIntegrationView>, now: number): string {
  if (row.enabled === false) return "disabled";
  const expires = row.expiresAt == null ? NaN : Date.parse(row.expiresAt);
  if (!Number.isNaN(expires) && isTokenExpired(new Date(expires), now)) return "expired";
  return "active";
}

/** `token rotate int_…`: issues a new token, invalidating the old one at once; prints it. */
export const tokenRotate: Command = {
  noun: "token",
  verb: "rotate",
  summary: "replace an integration's token (the old one stops working now); print the new one",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "int_…", description: "the custom integration's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    return integrationAction(args, ctx, "rotate", (body) => {
      const token = readString(body, ["token"]);
      if (token === null) return unexpected(ctx, "no token");
      ctx.out(token);
      ctx.err(TOKEN_NOTE);
      return EXIT.ok;
    });
  },
};

/** `token revoke int_…`: invalidates the integration's token; prints the integration id. */
export const tokenRevoke: Command = {
  noun: "token",
  verb: "revoke",
  summary: "revoke an integration's token; print the integration id",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "int_…", description: "the custom integration's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    return integrationAction(args, ctx, "revoke", (body) => {
      const id = readString(body, ["id"]);
      if (id === null) return unexpected(ctx, "no integration id");
      ctx.out(id);
      return EXIT.ok;
    });
  },
};

async function integrationAction(
  args: ParsedArgs,
  ctx: CliContext,
  action: "rotate" | "revoke",
  print: (body: unknown) => number,
) {
  const id = positional(args, 0);
  const problem = checkIdPrefix(id, "int_", "integration");
  if (problem !== null) return usage(problem);
  const path = `/api/admin/integrations/${encodeURIComponent(id)}/${action}`;
  const result = await adminApi(ctx, args).request("POST", path);
  if (!result.ok) return fail(ctx, result);
  if (!booleanFlag(args, "json")) return print(result.body);
  ctx.out(formatJson(result.body));
  return EXIT.ok;
}

/** Every `token` command. */
export const tokenCommands: readonly Command[] = [tokenCreate, tokenList, tokenRotate, tokenRevoke];
