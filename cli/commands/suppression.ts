/**
 * `sendeasy suppression list|add|remove` (README "Suppressions"): the addresses a company's
 * channels must not message, per channel type.
 *
 * @module
 */
import { CHANNEL_TYPES } from "../../core/domain.ts";
import { SUPPRESSION_REASONS as REASONS } from "../../core/public_suppression.ts";
import type { SuppressionView } from "../../server/schemas/admin_views.ts";
import {
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  requiredFlag,
  stringFlag,
  usage,
} from "../command.ts";
import { withQuery } from "../http_client.ts";
import {
  adminApi,
  cell,
  fail,
  postCreation,
  printRows,
  readString,
  removeById,
  rowsOf,
  unexpected,
} from "./_api.ts";
import { LIMIT_FLAG, limitFlag, listNewest, noteMore } from "./deliveries.ts";

/** `suppression list [--type T] [--address A] [--limit N] [--json]`: newest first. */
export const suppressionList: Command = {
  noun: "suppression",
  verb: "list",
  summary: "list suppressed addresses, newest first",
  flags: {
    type: { type: "string", placeholder: "whatsapp|email|sms", description: "one channel type" },
    address: { type: "string", placeholder: "A", description: "one address (any spelling)" },
    limit: LIMIT_FLAG,
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const limit = limitFlag(args);
    if (limit === null) return usage("--limit must be a whole number ≥ 1");
    const type = stringFlag(args, "type");
    if (type !== undefined && !(CHANNEL_TYPES as readonly string[]).includes(type)) {
      return usage(`--type must be one of ${CHANNEL_TYPES.join(", ")}, got "${type}"`);
    }
    const filters: Record<string, string> = {};
    if (type !== undefined) filters.channelType = type;
    const address = stringFlag(args, "address");
    if (address !== undefined) filters.address = address;
    const path = withQuery("/api/admin/suppressions", filters);
    const result = await listNewest(adminApi(ctx, args), path, limit);
    if (!result.ok) return fail(ctx, result);
    const rows = rowsOf<SuppressionView>(result.items);
    printRows(
      ctx,
      args,
      [
        { header: "ID", value: (row) => cell(row.id) },
        { header: "TYPE", value: (row) => cell(row.channelType) },
        { header: "ADDRESS", value: (row) => cell(row.address) },
        { header: "REASON", value: (row) => cell(row.reason) },
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
 * `suppression add --type T --address A [--reason R]`: prints the suppression's id (the one
 * already listed when the address was).
 */
export const suppressionAdd: Command = {
  noun: "suppression",
  verb: "add",
  summary: "suppress an address for a channel type; print its id",
  flags: {
    type: {
      type: "string",
      required: true,
      placeholder: "whatsapp|email|sms",
      description: "channel type",
    },
    address: {
      type: "string",
      required: true,
      placeholder: "A",
      description: "E.164 number or e-mail address",
    },
    reason: {
      type: "string",
      placeholder: REASONS.join("|"),
      description: "why (default manual)",
    },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const type = requiredFlag(args, "type");
    if (!(CHANNEL_TYPES as readonly string[]).includes(type)) {
      return usage(`--type must be one of ${CHANNEL_TYPES.join(", ")}, got "${type}"`);
    }
    const reason = stringFlag(args, "reason");
    if (reason !== undefined && !(REASONS as readonly string[]).includes(reason)) {
      return usage(`--reason must be one of ${REASONS.join(", ")}, got "${reason}"`);
    }
    const json = {
      channelType: type,
      address: requiredFlag(args, "address"),
      ...(reason === undefined ? {} : { reason }),
    };
    const created = await postCreation(ctx, args, { path: "/api/admin/suppressions", json });
    if ("exit" in created) return created.exit;
    const id = readString(created.body, ["id"]);
    if (id === null) return unexpected(ctx, "no suppression id");
    ctx.out(id);
    return EXIT.ok;
  },
};

/** `suppression remove sup_…`: takes the address off the list; prints the id. */
export const suppressionRemove: Command = {
  noun: "suppression",
  verb: "remove",
  summary: "remove a suppression (the address may be messaged again)",
  flags: { company: COMPANY_FLAG },
  positionals: [{ name: "sup_…", description: "the suppression's id" }],
  needsAdminKey: true,
  run(args, ctx) {
    return removeById(ctx, args, {
      prefix: "sup_",
      noun: "suppression",
      collection: "/api/admin/suppressions",
    });
  },
};

/** Every `suppression` command. */
export const suppressionCommands: readonly Command[] = [
  suppressionList,
  suppressionAdd,
  suppressionRemove,
];
