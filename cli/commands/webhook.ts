/**
 * `sendeasy webhook add|list|test|remove|enable|disable|rotate` (docs/api.md#webhooks, docs/api.md#admin-api, README.md#admin-api-and-cli): webhook
 * integrations. A signing secret is printed once, alone on the last stdout line, so
 * `sendeasy webhook add … | tail -1` captures it.
 *
 * @module
 */
import type { EventType } from "../../core/domain.ts";
import type { WebhookIntegrationView } from "../../server/schemas/admin_views.ts";
import { checkIdPrefix } from "../args.ts";
import {
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  type ParsedArgs,
  requiredFlag,
  stringFlag,
  type UsageProblem,
  usage,
} from "../command.ts";
import type { Column } from "../output.ts";
import {
  adminApi,
  cell,
  fail,
  postCreation,
  printIdAndSecret,
  printRows,
  rowsOf,
  SECRET_NOTE,
} from "./_api.ts";
import {
  webhookDisable,
  webhookEnable,
  webhookRemove,
  webhookRotate,
} from "./webhook_lifecycle.ts";
import { webhookTest } from "./webhook_test_command.ts";

/** The event types a webhook may subscribe to (docs/api.md#webhooks); `integration.test` is not one. */
export const WEBHOOK_EVENTS = [
  "message.received",
  "message.sent",
  "message.delivered",
  "message.read",
  "message.failed",
  "recipient.suppressed",
  "recipient.unsuppressed",
] as const satisfies readonly Exclude<EventType, "integration.test">[];

/**
 * Parses `--events a,b`: comma-separated, spaces ignored, duplicates dropped.
 *
 * @param text The flag value.
 * @returns The event types in the order given, or why the list is not valid.
 *
 * @example
 * ```ts
 * parseEvents("message.received, message.failed");
 * // { ok: true, events: ["message.received", "message.failed"] }
 * ```
 */
export function parseEvents(
  text: string,
): { ok: true; events: string[] } | { ok: false; message: string } {
  const names = text
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "");
  if (names.length === 0) {
    return { ok: false, message: `--events needs at least one of ${WEBHOOK_EVENTS.join(", ")}` };
  }
  const unknown = names.find((name) => !(WEBHOOK_EVENTS as readonly string[]).includes(name));
  if (unknown !== undefined) {
    return {
      ok: false,
      message: `--events: unknown event "${unknown}"; expected ${WEBHOOK_EVENTS.join(", ")}`,
    };
  }
  return { ok: true, events: [...new Set(names)] };
}

/**
 * `webhook add --url U --name N [--channel ch_…] [--bearer B] [--events a,b]`: prints the
 * integration id, then the signing secret alone on the last line.
 */
export const webhookAdd: Command = {
  noun: "webhook",
  verb: "add",
  summary: "add a webhook; print its id, then its signing secret (shown once)",
  flags: {
    url: {
      type: "string",
      required: true,
      placeholder: "U",
      description: "where events are POSTed (http or https)",
    },
    name: { type: "string", required: true, placeholder: "N", description: "webhook name" },
    channel: {
      type: "string",
      placeholder: "ch_…",
      description: "only this channel's events (scope channel); default every channel",
    },
    bearer: {
      type: "string",
      placeholder: "B",
      description: "sent as Authorization: Bearer B with every delivery",
    },
    events: {
      type: "string",
      placeholder: "a,b",
      description: `only these events (default all): ${WEBHOOK_EVENTS.join(", ")}`,
    },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const built = webhookBody(args);
    if (built.code === "USAGE") return built;
    const path = "/api/admin/integrations";
    const created = await postCreation(ctx, args, { path, json: built.body });
    if ("exit" in created) return created.exit;
    return printIdAndSecret(ctx, created.body, {
      id: ["integration", "id"],
      secret: ["signingSecret"],
      note: SECRET_NOTE,
    });
  },
};

function webhookBody(
  args: ParsedArgs,
): { code: "OK"; body: Record<string, unknown> } | UsageProblem {
  const url = requiredFlag(args, "url");
  if (!isHttpUrl(url)) return usage(`--url must be an absolute http(s) URL, got "${url}"`);
  const body: Record<string, unknown> = {
    kind: "webhook",
    name: requiredFlag(args, "name"),
    scope: "general",
    url,
  };
  const channelId = stringFlag(args, "channel");
  if (channelId !== undefined) {
    const problem = checkIdPrefix(channelId, "ch_", "channel");
    if (problem !== null) return usage(`--channel: ${problem}`);
    body.scope = "channel";
    body.channelId = channelId;
  }
  const bearer = stringFlag(args, "bearer");
  if (bearer !== undefined) {
    if (bearer === "") return usage("--bearer must not be empty");
    body.bearerToken = bearer;
  }
  const events = stringFlag(args, "events");
  if (events !== undefined) {
    const parsed = parseEvents(events);
    if (!parsed.ok) return usage(parsed.message);
    body.events = parsed.events;
  }
  return { code: "OK", body };
}

function isHttpUrl(text: string): boolean {
  try {
    const { protocol } = new URL(text);
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

/** `webhook list [--json]`: every webhook of the company; server-disabled ones flagged. */
export const webhookList: Command = {
  noun: "webhook",
  verb: "list",
  summary: "list webhooks; ones the server disabled (gone, failing) are flagged",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const result = await adminApi(ctx, args).listAll("/api/admin/integrations?kind=webhook");
    if (!result.ok) return fail(ctx, result);
    const rows = rowsOf<WebhookIntegrationView>(result.items).filter(
      (row) => row.kind === "webhook",
    );
    printRows(ctx, args, WEBHOOK_COLUMNS, rows);
    return EXIT.ok;
  },
};

/** The webhook table's columns, left to right. */
export const WEBHOOK_COLUMNS: readonly Column<Partial<WebhookIntegrationView>>[] = [
  { header: "ID", value: (row) => cell(row.id) },
  { header: "NAME", value: (row) => cell(row.name) },
  { header: "SCOPE", value: (row) => cell(row.scope) },
  { header: "CHANNEL", value: (row) => cell(row.channelId) },
  { header: "URL", value: (row) => cell(row.url) },
  {
    header: "EVENTS",
    value: (row) => (Array.isArray(row.events) ? row.events.map(cell).join(",") : "all"),
  },
  { header: "STATUS", value: webhookStatus },
];

/**
 * A webhook's status cell: `enabled`, `disabled` (by an admin), or `⚠ disabled (gone)` /
 * `⚠ disabled (failing)` when the server turned it off (docs/api.md#webhooks, docs/api.md#admin-api).
 *
 * @param row A webhook view.
 * @returns The cell text.
 */
export function webhookStatus(row: Partial<WebhookIntegrationView>): string {
  if (row.enabled !== false) return "enabled";
  return row.disabledReason === undefined ? "disabled" : `⚠ disabled (${row.disabledReason})`;
}

/** Every `webhook` command. */
export const webhookCommands: readonly Command[] = [
  webhookAdd,
  webhookList,
  webhookTest,
  webhookRemove,
  webhookEnable,
  webhookDisable,
  webhookRotate,
];
