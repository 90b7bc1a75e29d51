/**
 * `sendeasy deliveries recover --webhook int_… --since 6h [--dry-run]` (README "Recovering
 * deliveries"): after a receiver's outage, retries every delivery of the webhook that failed
 * in the period; prints how many.
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
  requiredFlag,
  usage,
} from "../command.ts";
import { isRecord } from "../http_client.ts";
import { formatJson } from "../output.ts";
import { adminApi, fail, unexpected } from "./_api.ts";

/** `deliveries recover`: re-queues (or with `--dry-run` counts) a webhook's failed deliveries. */
export const deliveriesRecover: Command = {
  noun: "deliveries",
  verb: "recover",
  summary: "retry every failed delivery of a webhook in a period; print how many",
  flags: {
    webhook: { type: "string", required: true, placeholder: "int_…", description: "the webhook" },
    since: {
      type: "string",
      required: true,
      placeholder: "6h",
      description: "how far back: 30m, 6h, 7d, or an ISO 8601 time",
    },
    "dry-run": { type: "boolean", description: "only count them; change nothing" },
    json: JSON_FLAG,
    company: COMPANY_FLAG,
  },
  positionals: [],
  needsAdminKey: true,
  async run(args, ctx) {
    const webhookId = requiredFlag(args, "webhook");
    const problem = checkIdPrefix(webhookId, "int_", "webhook");
    if (problem !== null) return usage(`--webhook: ${problem}`);
    const dryRun = booleanFlag(args, "dry-run");
    const result = await adminApi(ctx, args).request(
      "POST",
      `/api/admin/integrations/${encodeURIComponent(webhookId)}/recover`,
      { body: { json: { since: requiredFlag(args, "since"), dryRun } } },
    );
    if (!result.ok) return fail(ctx, result);
    if (booleanFlag(args, "json")) {
      ctx.out(formatJson(result.body));
      return EXIT.ok;
    }
    const body = result.body;
    if (!isRecord(body) || typeof body.count !== "number") return unexpected(ctx, "no count");
    const since = typeof body.since === "string" ? body.since : "";
    ctx.out(
      dryRun
        ? `${body.count} failed deliveries since ${since} would be retried`
        : `${body.count} failed deliveries since ${since} queued for retry`,
    );
    if (body.webhookEnabled === false && body.count > 0) {
      ctx.err("note: the webhook is disabled; they go out once it is enabled again");
    }
    return EXIT.ok;
  },
};
