/**
 * The shape shared by the commands that act on one resource by id (`message cancel`,
 * `deliveries retry`, `event replay`, `webhook test`): check the id's prefix, POST to its
 * action, and print the answer whole under `--json`.
 *
 * @module
 */
import { checkIdPrefix } from "../args.ts";
import {
  booleanFlag,
  type CliContext,
  EXIT,
  type ParsedArgs,
  positional,
  type UsageProblem,
  usage,
} from "../command.ts";
import { formatJson } from "../output.ts";
import { adminApi, fail, readString, unexpected } from "./_api.ts";

/** The answer of the action, or how the command has already ended. */
export type IdActionAnswer =
  | { ok: true; id: string; body: unknown }
  | { ok: false; exit: number | UsageProblem };

/**
 * POSTs to the action of the resource named by the first positional.
 *
 * @param target the id prefix and noun (for the usage error) and the action's path
 * @returns the answer's body, or the exit code once a usage error or failure was printed
 */
export async function postIdAction(
  ctx: CliContext,
  args: ParsedArgs,
  target: { prefix: string; noun: string; path: (encodedId: string) => string },
): Promise<IdActionAnswer> {
  const id = positional(args, 0);
  const problem = checkIdPrefix(id, target.prefix, target.noun);
  if (problem !== null) return { ok: false, exit: usage(problem) };
  const result = await adminApi(ctx, args).request("POST", target.path(encodeURIComponent(id)));
  if (!result.ok) return { ok: false, exit: fail(ctx, result) };
  return { ok: true, id, body: result.body };
}

/** Whether `--json` asked for the answer whole; if so it is printed. */
export function printedAsJson(ctx: CliContext, args: ParsedArgs, body: unknown): boolean {
  if (!booleanFlag(args, "json")) return false;
  ctx.out(formatJson(body));
  return true;
}

/** Runs `postIdAction` and prints `<id> <status>` (or the JSON answer). */
export async function postAndPrintStatus(
  ctx: CliContext,
  args: ParsedArgs,
  target: { prefix: string; noun: string; path: (encodedId: string) => string },
): Promise<number | UsageProblem> {
  const answer = await postIdAction(ctx, args, target);
  if (!answer.ok) return answer.exit;
  if (printedAsJson(ctx, args, answer.body)) return EXIT.ok;
  const status = readString(answer.body, ["status"]);
  if (status === null) return unexpected(ctx, `no ${target.noun} status`);
  ctx.out(`${readString(answer.body, ["id"]) ?? answer.id} ${status}`);
  return EXIT.ok;
}
