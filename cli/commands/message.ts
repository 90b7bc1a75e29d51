/**
 * `sendeasy message cancel msg_…` (README "Throughput, retries, async and scheduled sends"):
 * cancels a queued or scheduled send through the admin API.
 *
 * @module
 */
import { COMPANY_FLAG, type Command, JSON_FLAG } from "../command.ts";
import { postAndPrintStatus } from "./_id_action.ts";

/** `message cancel msg_…`: the message becomes `failed` (reason `canceled`); prints its id and status. */
export const messageCancel: Command = {
  noun: "message",
  verb: "cancel",
  summary: "cancel a queued or scheduled send; print its id and new status",
  flags: { json: JSON_FLAG, company: COMPANY_FLAG },
  positionals: [{ name: "msg_…", description: "the message's id" }],
  needsAdminKey: true,
  run: (args, ctx) =>
    postAndPrintStatus(ctx, args, {
      prefix: "msg_",
      noun: "message",
      path: (id) => `/api/admin/messages/${id}/cancel`,
    }),
};

/** Every `message` command. */
export const messageCommands: readonly Command[] = [messageCancel];
