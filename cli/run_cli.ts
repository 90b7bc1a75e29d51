/**
 * The CLI without a process: finds the command for `sendeasy <noun> [<verb>] …`, parses its
 * arguments, runs it and returns the exit code (README.md#admin-api-and-cli: 0 ok, 1 failure, 2 usage). Help goes
 * to stdout with 0; usage errors go to stderr with 2.
 *
 * @module
 */
import { parseCommandArgs } from "./args.ts";
import { type CliContext, type Command, EXIT } from "./command.ts";
import { backupCommands } from "./commands/backup.ts";
import { channelCommands } from "./commands/channel.ts";
import { companyCommands } from "./commands/company.ts";
import { deliveriesCommands } from "./commands/deliveries.ts";
import { deliveriesRecover } from "./commands/deliveries_recover.ts";
import { eventCommands } from "./commands/event.ts";
import { messageCommands } from "./commands/message.ts";
import { migrateCommands } from "./commands/migrate.ts";
import { sendCommands } from "./commands/send.ts";
import { serveCommands } from "./commands/serve.ts";
import { suppressionCommands } from "./commands/suppression.ts";
import { tokenCommands } from "./commands/token.ts";
import { webhookCommands } from "./commands/webhook.ts";

/** Every command, in the order help lists them. */
export const COMMANDS: readonly Command[] = [
  ...serveCommands,
  ...migrateCommands,
  ...backupCommands,
  ...companyCommands,
  ...channelCommands,
  ...webhookCommands,
  ...tokenCommands,
  ...deliveriesCommands,
  deliveriesRecover,
  ...eventCommands,
  ...suppressionCommands,
  ...sendCommands,
  ...messageCommands,
];

const HELP_WORDS = new Set(["help", "--help", "-h"]);

/**
 * Runs one invocation.
 *
 * @param argv The arguments after the program name, e.g. `["token", "list", "--json"]`.
 * @param ctx Output, transport, clock and server hooks.
 * @param commands The command table; default {@link COMMANDS}.
 * @returns The exit code.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2), ctx);
 * ```
 */
export async function runCli(
  argv: readonly string[],
  ctx: CliContext,
  commands: readonly Command[] = COMMANDS,
): Promise<number> {
  const [noun, ...rest] = argv;
  if (noun === undefined) return usageError(ctx, "missing command", programHelp(commands));
  if (HELP_WORDS.has(noun)) return printHelp(ctx, rest[0], commands);
  const group = commands.filter((command) => command.noun === noun);
  const first = group[0];
  if (first === undefined)
    return usageError(ctx, `unknown command "${noun}"`, programHelp(commands));
  if (first.verb === null) return runCommand(first, rest, ctx);
  const [verb, ...args] = rest;
  if (verb !== undefined && HELP_WORDS.has(verb)) return printHelp(ctx, noun, commands);
  const command = group.find((candidate) => candidate.verb === verb);
  if (command !== undefined) return runCommand(command, args, ctx);
  const [second, ...afterSecond] = args;
  const twoWords = group.find((candidate) => candidate.verb === `${verb} ${second}`);
  if (twoWords !== undefined) return runCommand(twoWords, afterSecond, ctx);
  const problem =
    verb === undefined ? `missing ${noun} command` : `unknown command "${noun} ${verb}"`;
  return usageError(ctx, problem, nounHelp(group));
}

async function runCommand(
  command: Command,
  argv: readonly string[],
  ctx: CliContext,
): Promise<number> {
  const parsed = parseCommandArgs(command, argv);
  if (!parsed.ok && parsed.code === "HELP") {
    for (const line of commandHelp(command)) ctx.out(line);
    return EXIT.ok;
  }
  if (!parsed.ok) return usageError(ctx, parsed.message, [`usage: ${usageLine(command)}`]);
  if (command.needsAdminKey && ctx.adminKey === null) {
    const problem = "SENDEASY_ADMIN_KEY is not set; export the operator key or a company admin key";
    return usageError(ctx, problem, []);
  }
  try {
    const outcome = await command.run(parsed.args, ctx);
    if (typeof outcome === "number") return outcome;
    return usageError(ctx, outcome.message, [`usage: ${usageLine(command)}`]);
  } catch (error) {
    // A thrown error is a bug or broken infrastructure (a failed migration, a port in use):
    // say what it was and fail, without a stack trace in the operator's face.
    ctx.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failure;
  }
}

function usageError(ctx: CliContext, problem: string, help: readonly string[]): number {
  ctx.err(`error: ${problem}`);
  for (const line of help) ctx.err(line);
  return EXIT.usage;
}

function printHelp(
  ctx: CliContext,
  noun: string | undefined,
  commands: readonly Command[],
): number {
  const group = commands.filter((command) => command.noun === noun);
  if (noun !== undefined && group.length === 0) {
    return usageError(ctx, `unknown command "${noun}"`, programHelp(commands));
  }
  const only = group.length === 1 ? group[0] : undefined;
  let lines = programHelp(commands);
  if (only !== undefined) lines = commandHelp(only);
  else if (group.length > 1) lines = nounHelp(group);
  for (const line of lines) ctx.out(line);
  return EXIT.ok;
}

/**
 * The one-line synopsis of a command: required flags first, optional ones in brackets.
 *
 * @param command The command.
 * @returns e.g. `sendeasy token create --channel ch_… --name N [--expires-at ISO] [--json] …`.
 *
 * @example
 * ```ts
 * usageLine(tokenRotate); // "sendeasy token rotate <int_…> [--json] [--company co_…]"
 * ```
 */
export function usageLine(command: Command): string {
  const words = ["sendeasy", command.noun];
  if (command.verb !== null) words.push(command.verb);
  for (const item of command.positionals) {
    words.push(item.optional === true ? `[${item.name}]` : `<${item.name}>`);
  }
  const flags = Object.entries(command.flags);
  for (const [name, flag] of flags) if (flag.required === true) words.push(flagWords(name, flag));
  for (const [name, flag] of flags)
    if (flag.required !== true) words.push(`[${flagWords(name, flag)}]`);
  return words.join(" ");
}

function flagWords(name: string, flag: Command["flags"][string]): string {
  if (flag.type === "boolean") return `--${name}`;
  const value = `--${name} ${flag.placeholder ?? "VALUE"}`;
  return flag.multiple === true ? `${value} …` : value;
}

function commandHelp(command: Command): string[] {
  const flags = Object.entries(command.flags);
  const width = Math.max(0, ...flags.map(([name, flag]) => flagWords(name, flag).length));
  return [
    `usage: ${usageLine(command)}`,
    "",
    command.summary,
    ...(flags.length === 0 ? [] : ["", "flags:"]),
    ...flags.map(([name, flag]) => `  ${flagWords(name, flag).padEnd(width)}  ${flag.description}`),
  ];
}

function nounHelp(group: readonly Command[]): string[] {
  return ["usage:", ...group.map((command) => `  ${usageLine(command)}`)];
}

function programHelp(commands: readonly Command[]): string[] {
  const names = commands.map((c) => (c.verb === null ? c.noun : `${c.noun} ${c.verb}`));
  const width = Math.max(...names.map((name) => name.length));
  return [
    "usage: sendeasy <command> [flags]   (sendeasy <command> --help for its flags)",
    "",
    "commands:",
    ...commands.map((command, i) => `  ${(names[i] ?? "").padEnd(width)}  ${command.summary}`),
    "",
    "environment:",
    "  SENDEASY_URL        the server's base URL (default http://localhost:3000)",
    "  SENDEASY_ADMIN_KEY  admin key for every command but send, serve, migrate, backup, restore",
    "",
    "exit codes: 0 ok, 1 failure, 2 usage",
  ];
}
