/**
 * `sendeasy channel add|list|remove` (docs/api.md#admin-api, README.md#admin-api-and-cli): WhatsApp instances, mailboxes and SMS
 * numbers.
 *
 * @module
 */

import type { ChannelView } from "../../server/schemas/admin_views.ts";
import { parseConfigPairs, parseCount } from "../args.ts";
import {
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  listFlag,
  type ParsedArgs,
  requiredFlag,
  stringFlag,
  type UsageProblem,
  usage,
} from "../command.ts";
import { formatDate } from "../output.ts";
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

const CHANNEL_TYPES = ["whatsapp", "email", "sms"] as const;

/**
 * `channel add --type T --address A --name N [--provider P] [--credits N] [--config k=v …]`:
 * prints the channel id, then `callback URL: <url>` for the provider's console.
 */
export const channelAdd: Command = {
  noun: "channel",
  verb: "add",
  summary: "add a channel and print its id and provider callback URL",
  flags: {
    type: {
      type: "string",
      required: true,
      placeholder: "whatsapp|email|sms",
      description: "channel type",
    },
    provider: {
      type: "string",
      placeholder: "P",
      description: "sandbox (default), resend, twilio, meta or smtp",
    },
    address: {
      type: "string",
      required: true,
      placeholder: "A",
      description: "E.164 number or sender email",
    },
    name: { type: "string", required: true, placeholder: "N", description: "display name" },
    credits: {
      type: "string",
      placeholder: "N",
      description: "send credits (default unlimited)",
    },
    config: {
      type: "string",
      multiple: true,
      placeholder: "key=value",
      description:
        'provider config, repeatable (README "Providers" lists the keys; enforceWindow=false is a boolean)',
    },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const built = channelBody(args);
    if (built.code === "USAGE") return built;
    const created = await postCreation(ctx, args, {
      path: "/api/admin/channels",
      json: built.body,
    });
    if ("exit" in created) return created.exit;
    const id = readString(created.body, ["id"]);
    if (id === null) return unexpected(ctx, "no channel id");
    ctx.out(id);
    const callbackUrl = readString(created.body, ["callbackUrl"]);
    // On stderr so `… | head -1` captures the id alone and nothing writes into a closed pipe.
    // An SMTP relay calls nothing back: no URL to paste anywhere.
    if (callbackUrl !== null && built.body.provider !== "smtp")
      ctx.err(`callback URL (paste it into the provider's console): ${callbackUrl}`);
    return EXIT.ok;
  },
};

function channelBody(
  args: ParsedArgs,
): { code: "OK"; body: Record<string, unknown> } | UsageProblem {
  const type = requiredFlag(args, "type");
  if (!(CHANNEL_TYPES as readonly string[]).includes(type)) {
    return usage(`--type must be one of ${CHANNEL_TYPES.join(", ")}, got "${type}"`);
  }
  const body: Record<string, unknown> = {
    type,
    provider: stringFlag(args, "provider") ?? "sandbox",
    address: requiredFlag(args, "address"),
    name: requiredFlag(args, "name"),
  };
  const credits = stringFlag(args, "credits");
  if (credits !== undefined) {
    const count = parseCount(credits);
    if (count === null) return usage(`--credits must be a whole number ≥ 0, got "${credits}"`);
    body.credits = count;
  }
  const pairs = listFlag(args, "config");
  if (pairs.length > 0) {
    const parsed = parseConfigPairs(pairs);
    if (!parsed.ok) return usage(parsed.message);
    body.config = parsed.config;
  }
  return { code: "OK", body };
}

/** `channel list [--json]`: every channel of the company, as a table or a JSON array. */
export const channelList: Command = {
  noun: "channel",
  verb: "list",
  summary: "list channels",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const result = await adminApi(ctx, args).listAll("/api/admin/channels");
    if (!result.ok) return fail(ctx, result);
    printRows(
      ctx,
      args,
      [
        { header: "ID", value: (row) => cell(row.id) },
        { header: "TYPE", value: (row) => cell(row.type) },
        { header: "PROVIDER", value: (row) => cell(row.provider) },
        { header: "NAME", value: (row) => cell(row.name) },
        { header: "ADDRESS", value: (row) => cell(row.address) },
        // docs/api.md#concepts: `credits: null` is unlimited.
        {
          header: "CREDITS",
          value: (row) => (row.credits === null ? "unlimited" : cell(row.credits)),
        },
        { header: "CREATED", value: (row) => formatDate(row.createdAt) },
      ],
      rowsOf<ChannelView>(result.items),
    );
    return EXIT.ok;
  },
};

/** `channel remove ch_…`: soft-deletes the channel; prints its id. */
export const channelRemove: Command = {
  noun: "channel",
  verb: "remove",
  summary: "remove (soft-delete) a channel",
  flags: { company: COMPANY_FLAG },
  positionals: [{ name: "ch_…", description: "the id of the channel to remove" }],
  needsAdminKey: true,
  run(args, ctx) {
    return removeById(ctx, args, {
      prefix: "ch_",
      noun: "channel",
      collection: "/api/admin/channels",
    });
  },
};

/** Every `channel` command. */
export const channelCommands: readonly Command[] = [channelAdd, channelList, channelRemove];
