/**
 * `sendeasy event list|replay` (docs/api.md#webhooks, docs/api.md#admin-api): the events webhooks are sent, and replaying
 * one to today's targets.
 *
 * @module
 */

import type { EventReplayed } from "../../server/schemas/admin_answers.ts";
import type { EventView } from "../../server/schemas/admin_views.ts";
import { COMPANY_FLAG, type Command, EXIT, JSON_FLAG, usage } from "../command.ts";
import { adminApi, cell, fail, printRows, rowsOf, unexpected } from "./_api.ts";
import { postIdAction, printedAsJson } from "./_id_action.ts";
import { LIMIT_FLAG, limitFlag, listNewest, noteMore } from "./deliveries.ts";

/** `event list [--limit N] [--json]`: the newest events. */
export const eventList: Command = {
  noun: "event",
  verb: "list",
  summary: "list events, newest first",
  flags: { limit: LIMIT_FLAG, json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const limit = limitFlag(args);
    if (limit === null) return usage(`--limit must be a whole number ≥ 1`);
    const result = await listNewest(adminApi(ctx, args), "/api/admin/events", limit);
    if (!result.ok) return fail(ctx, result);
    const rows = rowsOf<EventView>(result.items);
    printRows(
      ctx,
      args,
      [
        { header: "ID", value: (row) => cell(row.id) },
        { header: "TYPE", value: (row) => cell(row.type) },
        { header: "CHANNEL", value: (row) => cell(row.channelId) },
        { header: "MESSAGE", value: (row) => cell(row.messageId) },
        { header: "CREATED", value: (row) => cell(row.createdAt) },
      ],
      rows,
    );
    if (result.more) noteMore(ctx, rows.length);
    return EXIT.ok;
  },
};

/**
 * `event replay evt_…`: delivers the event again to today's targets (the union rule as it
 * stands now); prints how many deliveries were created, then one `dlv_… int_…` line each.
 */
export const eventReplay: Command = {
  noun: "event",
  verb: "replay",
  summary: "deliver an event again to today's webhooks; print the deliveries created",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "evt_…", description: "the event's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    const answer = await postIdAction(ctx, args, {
      prefix: "evt_",
      noun: "webhook event",
      path: (id) => `/api/admin/events/${id}/replay`,
    });
    if (!answer.ok) return answer.exit;
    if (printedAsJson(ctx, args, answer.body)) return EXIT.ok;
    const deliveries = (answer.body as Partial<EventReplayed> | null)?.deliveries;
    if (!Array.isArray(deliveries)) return unexpected(ctx, "no deliveries");
    const rows = rowsOf<EventReplayed["deliveries"][number]>(deliveries);
    ctx.out(`${rows.length} ${rows.length === 1 ? "delivery" : "deliveries"} created`);
    for (const row of rows) ctx.out(`${cell(row.id)} ${cell(row.webhookId)}`);
    return EXIT.ok;
  },
};

/** Every `event` command. */
export const eventCommands: readonly Command[] = [eventList, eventReplay];
