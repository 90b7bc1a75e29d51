/**
 * Argument parsing for `sendeasy <noun> <verb> …`: flags checked against each command's spec,
 * and the value formats the commands share (`key=value`, durations, ISO dates, prefixed ids).
 * Every function returns a tagged outcome; nothing here throws for bad input.
 *
 * @module
 */
import type { FlagSpec, FlagValue, ParsedArgs } from "./command.ts";

/** What parsing the arguments of one command found. */
export type ParseOutcome =
  | { ok: true; args: ParsedArgs }
  | { ok: false; code: "HELP" }
  | { ok: false; code: "USAGE"; message: string };

/** The parts of a command that parsing needs. */
export interface ArgsSpec {
  flags: Readonly<Record<string, FlagSpec>>;
  /** Optional ones (`optional: true`) come last. */
  positionals: readonly { name: string; optional?: boolean }[];
}

const usageProblem = (message: string): ParseOutcome => ({ ok: false, code: "USAGE", message });

/**
 * Parses the arguments after `<noun> <verb>`. Flags read `--name value` or `--name=value`;
 * `--` ends the flags; `-h`/`--help` anywhere before it asks for help.
 *
 * @param spec The command's flags and positionals.
 * @param argv The arguments after the noun and verb.
 * @returns The parsed arguments, `HELP`, or a `USAGE` problem naming the first fault: an unknown
 *   flag, a flag without its value, a repeated single flag, a missing required flag, or a wrong
 *   number of positionals.
 *
 * @example
 * ```ts
 * parseCommandArgs({ flags: { name: { type: "string", description: "" } }, positionals: [] },
 *   ["--name", "Acme"]); // { ok: true, args: { flags: { name: "Acme" }, positionals: [] } }
 * ```
 */
export function parseCommandArgs(spec: ArgsSpec, argv: readonly string[]): ParseOutcome {
  const flags: Record<string, FlagValue> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") return { ok: false, code: "HELP" };
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.startsWith("--") ? arg.slice(2, eq === -1 ? undefined : eq) : "";
    const flag = spec.flags[name];
    if (flag === undefined)
      return usageProblem(`unknown flag "${eq === -1 ? arg : arg.slice(0, eq)}"`);
    if (flag.type === "boolean") {
      if (eq !== -1) return usageProblem(`flag "--${name}" takes no value`);
      flags[name] = true;
      continue;
    }
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    // `--name --json` is almost always a forgotten value; `--name=--json` says it is meant.
    if (value === undefined || (eq === -1 && value.startsWith("--"))) {
      return usageProblem(`flag "--${name}" needs a value`);
    }
    const stored = storeValue(flags, name, flag, value);
    if (stored !== null) return usageProblem(stored);
  }
  return finish(spec, flags, positionals);
}

function storeValue(
  flags: Record<string, FlagValue>,
  name: string,
  flag: FlagSpec,
  value: string,
): string | null {
  const previous = flags[name];
  if (flag.multiple === true) {
    flags[name] = Array.isArray(previous) ? [...previous, value] : [value];
    return null;
  }
  if (previous !== undefined) return `flag "--${name}" may be given only once`;
  flags[name] = value;
  return null;
}

function finish(
  spec: ArgsSpec,
  flags: Record<string, FlagValue>,
  positionals: string[],
): ParseOutcome {
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.required === true && flags[name] === undefined) {
      return usageProblem(`missing required flag "--${name}"`);
    }
  }
  const expected = spec.positionals;
  const required = expected.filter((item) => item.optional !== true).length;
  if (positionals.length < required) {
    return usageProblem(`missing argument <${expected[positionals.length]?.name ?? "?"}>`);
  }
  if (positionals.length > expected.length) {
    return usageProblem(`unexpected argument "${positionals[expected.length]}"`);
  }
  return { ok: true, args: { flags, positionals } };
}

/**
 * Parses repeated `--config key=value` flags into one object. The value is everything after the
 * first `=`, so values may hold `=` themselves; values stay strings: the server converts the
 * values of number and boolean keys (`enforceWindow=false`) to JSON types.
 *
 * @param pairs The raw flag values, in order.
 * @returns The config, or the first malformed or repeated key.
 *
 * @example
 * ```ts
 * parseConfigPairs(["apiKey=re_1", "baseUrl=http://x/?a=b"]);
 * // { ok: true, config: { apiKey: "re_1", baseUrl: "http://x/?a=b" } }
 * ```
 */
export function parseConfigPairs(
  pairs: readonly string[],
): { ok: true; config: Record<string, string> } | { ok: false; message: string } {
  const config: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    const key = eq === -1 ? "" : pair.slice(0, eq).trim();
    if (key === "") return { ok: false, message: `--config expects key=value, got "${pair}"` };
    if (Object.hasOwn(config, key)) {
      return { ok: false, message: `--config key "${key}" is given more than once` };
    }
    config[key] = pair.slice(eq + 1);
  }
  return { ok: true, config };
}

const DURATION = /^(\d{1,6})([hdw])$/;
const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

/**
 * Parses a duration such as `90d`, `12h` or `2w` (hours, days, weeks).
 *
 * @param text The flag value.
 * @returns The duration in milliseconds, or why it is not one.
 *
 * @example
 * ```ts
 * parseDuration("90d"); // { ok: true, ms: 7_776_000_000 }
 * parseDuration("90"); // { ok: false, message: "…" }
 * ```
 */
export function parseDuration(
  text: string,
): { ok: true; ms: number } | { ok: false; message: string } {
  const match = DURATION.exec(text.trim());
  if (match === null) {
    return { ok: false, message: `expected a duration such as 90d, 12h or 2w, got "${text}"` };
  }
  const unit = match[2] as keyof typeof UNIT_MS;
  return { ok: true, ms: Number(match[1]) * UNIT_MS[unit] };
}

/**
 * Parses a non-negative whole number, such as a channel's `--credits`.
 *
 * @param text The flag value.
 * @returns The number, or `null` when the text is not one.
 *
 * @example
 * ```ts
 * parseCount("500"); // 500
 * parseCount("-1"); // null
 * ```
 */
export function parseCount(text: string): number | null {
  if (!/^\d{1,15}$/.test(text.trim())) return null;
  return Number(text.trim());
}

/**
 * Parses a date-time with an explicit date (`2026-01-31`, `2026-01-31T12:00:00Z`) into the ISO
 * form the admin API takes.
 *
 * @param text The flag value.
 * @returns `toISOString()` of the instant, or `null` when the text is not a date.
 *
 * @example
 * ```ts
 * parseInstant("2026-01-31"); // "2026-01-31T00:00:00.000Z"
 * parseInstant("next week"); // null
 * ```
 */
export function parseInstant(text: string): string | null {
  // Date.parse accepts loose forms ("1", "March 7"); require an ISO date at the start.
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return null;
  const ms = Date.parse(text.trim());
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/**
 * Checks that a positional id carries the prefix of its kind (docs/api.md#concepts), so that
 * `channel remove int_…` is a usage error rather than a confusing 404.
 *
 * @param id The positional.
 * @param prefix `ch_`, `int_`, `co_`, …
 * @param noun The kind, for the message: `channel`, `integration`, …
 * @returns `null` when the id fits, else the message.
 *
 * @example
 * ```ts
 * checkIdPrefix("ch_01J…", "ch_", "channel"); // null
 * ```
 */
export function checkIdPrefix(id: string, prefix: string, noun: string): string | null {
  return id.startsWith(prefix) && id.length > prefix.length
    ? null
    : `expected a ${noun} id (${prefix}…), got "${id}"`;
}
