/**
 * `sendeasy webhook remove | enable | disable | rotate`: what happens to a webhook after it is
 * added, each checking first that the id names a webhook and not a custom integration.
 *
 * @module
 */
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
  type UsageProblem,
  usage,
} from "../command.ts";
import { formatJson } from "../output.ts";
import { adminApi, fail, readString, SECRET_NOTE, unexpected } from "./_api.ts";

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
