/**
 * Helpers the admin commands share: the admin client for an invocation, printing a failure or
 * a listing, removing by id, and reading fields out of the server's JSON without trusting its
 * shape.
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
  stringFlag,
  type UsageProblem,
  usage,
} from "../command.ts";
import { ApiClient, type ApiFailure, isRecord } from "../http_client.ts";
import { type Column, describeFailure, formatJson, formatTable } from "../output.ts";

/** The admin API client for this invocation: admin key, `--company`, the context's transport. */
export function adminApi(ctx: CliContext, args: ParsedArgs): ApiClient {
  return new ApiClient({
    baseUrl: ctx.baseUrl,
    // The runner refuses admin commands before `run` when the key is unset.
    bearer: ctx.adminKey ?? "",
    company: stringFlag(args, "company"),
    fetch: (url, init) => ctx.fetch(url, init),
  });
}

/** Prints a failure to stderr and returns exit code 1. */
export function fail(ctx: CliContext, failure: ApiFailure): number {
  for (const line of describeFailure(failure)) ctx.err(line);
  return EXIT.failure;
}

/** Prints that a 2xx body lacked what the command needs, and returns exit code 1. */
export function unexpected(ctx: CliContext, what: string): number {
  ctx.err(`error: unexpected answer from the server: ${what}`);
  return EXIT.failure;
}

/**
 * Reads a string at a path of keys, e.g. `["integration", "id"]`.
 *
 * @returns The string, or `null` when any step is missing or not of the right type.
 */
export function readString(body: unknown, path: readonly string[]): string | null {
  let value: unknown = body;
  for (const key of path) {
    if (!isRecord(value)) return null;
    value = value[key];
  }
  return typeof value === "string" ? value : null;
}

/**
 * The items of a listing as the view its route declares (`server/schemas/`, the schemas of the
 * OpenAPI document). Each field is optional: a server of another version may lack one, and a
 * table then shows `-`.
 *
 * @param items The listing's items, as parsed.
 * @returns The objects among them, typed.
 */
export function rowsOf<View extends object>(items: readonly unknown[]): Partial<View>[] {
  return items.filter(isRecord) as Partial<View>[];
}

/** Shows any scalar field in a table cell: `-` for null or absent. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return "-";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * POSTs a creation to the admin API. Under `--json` the server's answer is printed as is.
 *
 * @returns the body to print from, or the exit code when the command is already done
 */
export async function postCreation(
  ctx: CliContext,
  args: ParsedArgs,
  request: { path: string; json: unknown },
): Promise<{ body: unknown } | { exit: number }> {
  const result = await adminApi(ctx, args).request("POST", request.path, {
    body: { json: request.json },
  });
  if (!result.ok) return { exit: fail(ctx, result) };
  if (booleanFlag(args, "json")) {
    ctx.out(formatJson(result.body));
    return { exit: EXIT.ok };
  }
  return { body: result.body };
}

/**
 * Prints the created id, then the secret alone on the last stdout line (README.md#admin-api-and-cli: so
 * `… | tail -1` is the secret); the shown-once note goes to stderr.
 */
export function printIdAndSecret(
  ctx: CliContext,
  body: unknown,
  fields: { id: readonly string[]; secret: readonly string[]; note: string },
): number {
  const id = readString(body, fields.id);
  const secret = readString(body, fields.secret);
  if (id === null || secret === null) {
    return unexpected(ctx, `no ${fields.id.join(".")} or ${fields.secret.join(".")}`);
  }
  ctx.out(id);
  ctx.out(secret);
  ctx.err(fields.note);
  return EXIT.ok;
}

/** Prints a listing: a JSON array under `--json`, a table otherwise. */
export function printRows<Row extends object>(
  ctx: CliContext,
  args: ParsedArgs,
  columns: readonly Column<Row>[],
  rows: readonly Row[],
): void {
  if (booleanFlag(args, "json")) ctx.out(formatJson(rows));
  else for (const line of formatTable(columns, rows)) ctx.out(line);
}

/**
 * `<noun> remove <id>`: checks the id's prefix, DELETEs `collection/<id>`, prints the id.
 *
 * @returns the exit code, or the usage problem of a malformed id
 */
export async function removeById(
  ctx: CliContext,
  args: ParsedArgs,
  target: { prefix: string; noun: string; collection: string },
): Promise<number | UsageProblem> {
  const id = positional(args, 0);
  const problem = checkIdPrefix(id, target.prefix, target.noun);
  if (problem !== null) return usage(problem);
  const path = `${target.collection}/${encodeURIComponent(id)}`;
  const result = await adminApi(ctx, args).request("DELETE", path);
  if (!result.ok) return fail(ctx, result);
  ctx.out(id);
  return EXIT.ok;
}

/** Said once a webhook's signing secret is printed. */
export const SECRET_NOTE = "note: the signing secret above is shown only once; store it now";
