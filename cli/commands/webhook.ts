/**
 * `sendeasy webhook add|list|test|remove|enable|disable|rotate` (docs/api.md#webhooks, docs/api.md#admin-api, README.md#admin-api-and-cli): webhook
 * integrations. A signing secret is printed once, alone on the last stdout line, so
 * `sendeasy webhook add … | tail -1` captures it.
 *
 * @module
 */
import type { EventType } from "../../core/domain.ts";
import type { WebhookTested } from "../../server/schemas/admin_answers.ts";
import type { AttemptView, WebhookIntegrationView } from "../../server/schemas/admin_views.ts";
import { checkIdPrefix } from "../args.ts";
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
  type UsageProblem,
  usage,
} from "../command.ts";
import { isRecord } from "../http_client.ts";
import { type Column, formatJson } from "../output.ts";
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

const SECRET_NOTE = "note: the signing secret above is shown only once; store it now";

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

/**
 * `webhook test int_…`: sends `integration.test` now and prints the attempt. Exits 0 when the
 * receiver answered 2xx, else 1.
 */
export const webhookTest: Command = {
  noun: "webhook",
  verb: "test",
  summary: "send integration.test to a webhook now; exit 0 if it answered 2xx",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "int_…", description: "the webhook's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    const id = positional(args, 0);
    const problem = checkIdPrefix(id, "int_", "webhook");
    if (problem !== null) return usage(problem);
    const path = `/api/admin/integrations/${encodeURIComponent(id)}/test`;
    const result = await adminApi(ctx, args).request("POST", path);
    if (!result.ok) return fail(ctx, result);
    const body = result.body as Partial<WebhookTested> | null;
    const attempt = body?.attempt;
    if (!isRecord(attempt)) return unexpected(ctx, "no attempt");
    const statusCode = attempt.statusCode ?? null;
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
    if (booleanFlag(args, "json")) ctx.out(formatJson(result.body));
    else ctx.out(describeTest(result.body, attempt, succeeded));
    if (succeeded) return EXIT.ok;
    for (const line of testFailure(attempt, statusCode)) ctx.err(line);
    return EXIT.failure;
  },
};

function describeTest(body: unknown, attempt: Partial<AttemptView>, succeeded: boolean): string {
  const answer = attempt.statusCode == null ? "no answer" : `HTTP ${attempt.statusCode}`;
  const duration = attempt.durationMs === undefined ? "" : ` in ${attempt.durationMs} ms`;
  const delivery = readString(body, ["deliveryId"]);
  const outcome = succeeded ? "succeeded" : "failed";
  return `${outcome}: ${answer}${duration}${delivery === null ? "" : ` (delivery ${delivery})`}`;
}

function testFailure(attempt: Partial<AttemptView>, statusCode: number | null): string[] {
  const error = attempt.error ?? "";
  // The server logs "HTTP 500" as the error of a plain non-2xx answer: no need to say it twice.
  const reason = error === "" || error === `HTTP ${statusCode}` ? null : error;
  const lines =
    statusCode === null
      ? [`error: the webhook was not reached: ${reason ?? "no answer"}`]
      : [`error: the webhook answered HTTP ${statusCode}${reason === null ? "" : ` (${reason})`}`];
  const response = firstLine(attempt.responseBody);
  if (response !== "") lines.push(`  response: ${response}`);
  // docs/api.md#webhooks: a 410 disables the webhook at once.
  if (statusCode === 410)
    lines.push(
      "  the server disabled this webhook (gone); re-enable it with `sendeasy webhook enable`",
    );
  return lines;
}

/**
 * The first non-empty line of a response body, cut to 120 characters.
 *
 * @param body The logged response (the first 2 KiB), or anything else.
 * @returns The line, or `""` when there is none.
 *
 * @example
 * ```ts
 * firstLine("\n<html>\n<body>"); // "<html>"
 * ```
 */
export function firstLine(body: unknown): string {
  if (typeof body !== "string") return "";
  const line = body.split(/\r?\n/).find((text) => text.trim() !== "") ?? "";
  const trimmed = line.trim();
  return [...trimmed].length > 120 ? `${[...trimmed].slice(0, 119).join("")}…` : trimmed;
}

/** `webhook remove int_…`: deletes the webhook; prints its id. */
export const webhookRemove: Command = {
  noun: "webhook",
  verb: "remove",
  summary: "delete a webhook",
  flags: { company: COMPANY_FLAG },
  positionals: [{ name: "int_…", description: "the webhook's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    return onWebhook(args, ctx, async (id, path) => {
      const result = await adminApi(ctx, args).request("DELETE", path);
      if (!result.ok) return fail(ctx, result);
      ctx.out(id);
      return EXIT.ok;
    });
  },
};

function toggle(verb: "enable" | "disable"): Command {
  const enabled = verb === "enable";
  return {
    noun: "webhook",
    verb,
    summary: enabled
      ? "re-enable a webhook (also one the server disabled as gone or failing)"
      : "disable a webhook: no deliveries until it is enabled again",
    flags: { json: JSON_FLAG, company: COMPANY_FLAG },
    positionals: [{ name: "int_…", description: "the webhook's id" }],
    needsAdminKey: true,
    async run(args, ctx) {
      return onWebhook(args, ctx, async (id, path) => {
        const result = await adminApi(ctx, args).request("PATCH", path, {
          body: { json: { enabled } },
        });
        if (!result.ok) return fail(ctx, result);
        if (booleanFlag(args, "json")) ctx.out(formatJson(result.body));
        else ctx.out(id);
        return EXIT.ok;
      });
    },
  };
}

/** `webhook enable int_…`: `PATCH { enabled: true }`; prints the id. */
export const webhookEnable: Command = toggle("enable");

/** `webhook disable int_…`: `PATCH { enabled: false }`; prints the id. */
export const webhookDisable: Command = toggle("disable");

/** `webhook rotate int_…`: a new signing secret, printed alone; the old one signs for 24 h more. */
export const webhookRotate: Command = {
  noun: "webhook",
  verb: "rotate",
  summary:
    "replace a webhook's signing secret (the old one also signs for 24 h); print the new one",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "int_…", description: "the webhook's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    return onWebhook(args, ctx, async (_id, path) => {
      const result = await adminApi(ctx, args).request("POST", `${path}/rotate`);
      if (!result.ok) return fail(ctx, result);
      if (booleanFlag(args, "json")) {
        ctx.out(formatJson(result.body));
        return EXIT.ok;
      }
      const secret = readString(result.body, ["signingSecret"]);
      if (secret === null) return unexpected(ctx, "no signingSecret");
      ctx.out(secret);
      ctx.err(SECRET_NOTE);
      ctx.err("note: deliveries carry signatures by both secrets for the next 24 h");
      return EXIT.ok;
    });
  },
};

/**
 * Checks the positional is a webhook before acting on it: the integration routes also take
 * custom integrations, and `webhook remove` or `webhook rotate` must not touch a token.
 */
async function onWebhook(
  args: ParsedArgs,
  ctx: CliContext,
  act: (id: string, path: string) => Promise<number>,
): Promise<number | UsageProblem> {
  const id = positional(args, 0);
  const problem = checkIdPrefix(id, "int_", "webhook");
  if (problem !== null) return usage(problem);
  const path = `/api/admin/integrations/${encodeURIComponent(id)}`;
  const found = await adminApi(ctx, args).request("GET", path);
  if (!found.ok) return fail(ctx, found);
  const kind = readString(found.body, ["kind"]);
  if (kind !== "webhook") {
    const hint = kind === "custom" ? " (it is a custom integration: see `sendeasy token`)" : "";
    ctx.err(`error: ${id} is not a webhook${hint}`);
    return EXIT.failure;
  }
  return act(id, path);
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
