/**
 * What every CLI command is made of: its flags, its positionals, and a `run` that returns an
 * exit code or a usage problem. Commands receive everything from the outside world through
 * {@linkcode CliContext}, so tests can run them without a process, a terminal or a server.
 *
 * @module
 */

/** README.md#admin-api-and-cli: 0 ok, 1 failure, 2 usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** How a flag takes its value. */
export interface FlagSpec {
  /** `string` flags take the next argument (or `--flag=value`); `boolean` flags take none. */
  type: "string" | "boolean";
  /** A repeatable string flag collects every occurrence, in order. Default `false`. */
  multiple?: boolean;
  /** A missing required flag is a usage error. Default `false`. */
  required?: boolean;
  /** How the value reads in usage lines, e.g. `ch_…`. Default `VALUE`. */
  placeholder?: string;
  /** One line for `--help`. */
  description: string;
}

/** A positional argument; required unless `optional` (optional ones come last). */
export interface PositionalSpec {
  name: string;
  description: string;
  optional?: boolean;
}

/** A flag value after parsing: a string, `true`, or every value of a repeatable flag. */
export type FlagValue = string | boolean | string[];

/** The arguments of one invocation, checked against a command's flags and positionals. */
export interface ParsedArgs {
  flags: Readonly<Record<string, FlagValue>>;
  positionals: readonly string[];
}

/** A usage problem found by a command after parsing (a malformed value, say): exit 2. */
export interface UsageProblem {
  code: "USAGE";
  message: string;
}

/** Everything a command may touch; only `cli/main.ts` builds the real one. */
export interface CliContext {
  /** `SENDEASY_URL`, already checked to be an absolute http(s) URL. */
  baseUrl: string;
  /** `SENDEASY_ADMIN_KEY`, or `null` when unset. */
  adminKey: string | null;
  /** Writes one line to stdout: the only place secrets may go. */
  out(line: string): void;
  /** Writes one line to stderr: messages for humans, never secrets. */
  err(line: string): void;
  /** The HTTP client's transport. */
  fetch(url: string, init: RequestInit): Promise<Response>;
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Starts the server in this process (`sendeasy serve`). */
  startServer(): Promise<void>;
  /** Applies database migrations and describes what was applied (`sendeasy migrate`). */
  runMigrations(): Promise<string>;
  /** Backs up the embedded database to `out` (`sendeasy backup`). */
  backup(out: string): Promise<BackupLines>;
  /** Restores a backup into the empty data dir (`sendeasy restore`). */
  restore(file: string): Promise<BackupLines>;
}

/** What a backup or restore reports: lines for stdout, warnings for stderr. */
export interface BackupLines {
  lines: string[];
  warnings: string[];
}

/** One `sendeasy <noun> [<verb>]` command. */
export interface Command {
  noun: string;
  /**
   * `null` for nouns that are commands on their own (`send`, `serve`, `migrate`); may be two
   * words (`key rotate` in `sendeasy company key rotate`).
   */
  verb: string | null;
  summary: string;
  flags: Readonly<Record<string, FlagSpec>>;
  positionals: readonly PositionalSpec[];
  /** Whether the command calls the admin API and so needs `SENDEASY_ADMIN_KEY`. */
  needsAdminKey: boolean;
  run(args: ParsedArgs, ctx: CliContext): Promise<number | UsageProblem>;
}

/**
 * Builds the usage problem a command returns for a bad value.
 *
 * @param message What is wrong, as one sentence.
 * @returns A {@link UsageProblem}; the runner prints it with the usage line and exits 2.
 *
 * @example
 * ```ts
 * return usage(`--credits must be a whole number of 0 or more, got "${raw}"`);
 * ```
 */
export function usage(message: string): UsageProblem {
  return { code: "USAGE", message };
}

/**
 * Reads a string flag.
 *
 * @param args The parsed arguments.
 * @param name The flag name without dashes.
 * @returns Its value, or `undefined` when it was not given.
 *
 * @example
 * ```ts
 * const provider = stringFlag(args, "provider") ?? "sandbox";
 * ```
 */
export function stringFlag(args: ParsedArgs, name: string): string | undefined {
  const value = args.flags[name];
  return typeof value === "string" ? value : undefined;
}

/**
 * Reads a string flag the parser has already made required.
 *
 * @param args The parsed arguments.
 * @param name The flag name without dashes.
 * @returns Its value.
 * @throws {Error} When the flag is absent: the command's spec forgot `required: true`.
 *
 * @example
 * ```ts
 * const name = requiredFlag(args, "name");
 * ```
 */
export function requiredFlag(args: ParsedArgs, name: string): string {
  const value = stringFlag(args, name);
  if (value === undefined) throw new Error(`Cannot read flag "--${name}": it is not required`);
  return value;
}

/**
 * Reads a boolean flag.
 *
 * @param args The parsed arguments.
 * @param name The flag name without dashes.
 * @returns `true` when it was given.
 *
 * @example
 * ```ts
 * if (booleanFlag(args, "json")) ctx.out(formatJson(body));
 * ```
 */
export function booleanFlag(args: ParsedArgs, name: string): boolean {
  return args.flags[name] === true;
}

/**
 * Reads every value of a repeatable flag.
 *
 * @param args The parsed arguments.
 * @param name The flag name without dashes.
 * @returns The values in the order given; empty when the flag was not given.
 *
 * @example
 * ```ts
 * const pairs = listFlag(args, "config"); // ["apiKey=re_123", "baseUrl=http://…"]
 * ```
 */
export function listFlag(args: ParsedArgs, name: string): string[] {
  const value = args.flags[name];
  return Array.isArray(value) ? value : [];
}

/**
 * Reads positional number `index`, which the parser guarantees is present.
 *
 * @param args The parsed arguments.
 * @param index Zero-based.
 * @returns The positional.
 * @throws {Error} When it is absent: the command's spec declares fewer positionals.
 *
 * @example
 * ```ts
 * const id = positional(args, 0); // "int_…"
 * ```
 */
export function positional(args: ParsedArgs, index: number): string {
  const value = args.positionals[index];
  if (value === undefined) throw new Error(`Cannot read positional ${index}: it is not declared`);
  return value;
}

/** `--company co_…` (docs/api.md#admin-api: the operator key picks a company with `Sendeasy-Company`). */
export const COMPANY_FLAG: FlagSpec = {
  type: "string",
  placeholder: "co_…",
  description: "act on this company (sends Sendeasy-Company; operator key only)",
};

/** `--json`: print the server's JSON instead of a table or bare ids. */
export const JSON_FLAG: FlagSpec = {
  type: "boolean",
  description: "print JSON instead of text",
};
