/**
 * `sendeasy message cancel msg_…` (README "Throughput, retries, async and scheduled sends"):
 * cancels a queued or scheduled send through the admin API.
 *
 * @module
 */
import { checkIdPrefix } from "../args.ts";
import {
  booleanFlag,
  COMPANY_FLAG,
  type Command,
  EXIT,
  JSON_FLAG,
  positional,
  usage,
} from "../command.ts";
import { formatJson } from "../output.ts";
import { adminApi, fail, readString, unexpected } from "./_api.ts";

/** `message cancel msg_…`: the message becomes `failed` (reason `canceled`); prints its id and status. */
export const messageCancel: Command = {
  noun: "message",
  verb: "cancel",
  summary: "cancel a queued or scheduled send; print its id and new status",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "msg_…", description: "the message's id" }],
  needsAdminKey: true,
  async run(args, ctx) {
    const id = positional(args, 0);
    const problem = checkIdPrefix(id, "msg_", "message");
    if (problem !== null) return usage(problem);
    const path = `/api/admin/messages/${encodeURIComponent(id)}/cancel`;
    const result = await adminApi(ctx, args).request("POST", path);
    if (!result.ok) return fail(ctx, result);
    if (booleanFlag(args, "json")) {
      ctx.out(formatJson(result.body));
      return EXIT.ok;
    }
    const status = readString(result.body, ["status"]);
    if (status === null) return unexpected(ctx, "no message status");
    ctx.out(`${readString(result.body, ["id"]) ?? id} ${status}`);
    return EXIT.ok;
  },
};

/** Every `message` command. */
export const messageCommands: readonly Command[] = [messageCancel];
