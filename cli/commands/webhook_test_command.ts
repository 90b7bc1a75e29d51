/**
 * `sendeasy webhook test`: sends `integration.test` to a webhook now and says what came back.
 *
 * @module
 */
import type { WebhookTested } from "../../server/schemas/admin_answers.ts";
import type { AttemptView } from "../../server/schemas/admin_views.ts";
import { COMPANY_FLAG, type Command, EXIT, JSON_FLAG } from "../command.ts";
import { isRecord } from "../http_client.ts";
import { readString, unexpected } from "./_api.ts";
import { postIdAction, printedAsJson } from "./_id_action.ts";

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
    const answer = await postIdAction(ctx, args, {
      prefix: "int_",
      noun: "webhook",
      path: (id) => `/api/admin/integrations/${id}/test`,
    });
    if (!answer.ok) return answer.exit;
    const body = answer.body as Partial<WebhookTested> | null;
    const attempt = body?.attempt;
    if (!isRecord(attempt)) return unexpected(ctx, "no attempt");
    const statusCode = attempt.statusCode ?? null;
    const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
    if (!printedAsJson(ctx, args, answer.body))
      ctx.out(describeTest(answer.body, attempt, succeeded));
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
