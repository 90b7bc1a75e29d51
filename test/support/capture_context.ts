/**
 * A {@linkcode CliContext} for in-process CLI tests: output captured line by line, a fixed
 * clock, and server hooks that record their calls.
 *
 * @module
 */
import type { CliContext } from "../../cli/command.ts";

/** A context plus what the commands wrote and called. */
export interface CapturedContext {
  ctx: CliContext;
  stdout: string[];
  stderr: string[];
  calls: string[];
}

/**
 * Builds a context; `overrides` replace any field.
 *
 * @example
 * ```ts
 * const { ctx, stdout } = captureContext({ baseUrl: api.url, adminKey: KEY });
 * ```
 */
export function captureContext(overrides: Partial<CliContext> = {}): CapturedContext {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const calls: string[] = [];
  const ctx: CliContext = {
    baseUrl: "http://127.0.0.1:9",
    adminKey: "sk_test_admin_key_0123456789",
    out: (line) => stdout.push(line),
    err: (line) => stderr.push(line),
    fetch: (url, init) => fetch(url, init),
    now: () => Date.parse("2026-06-01T00:00:00Z"),
    startServer: async () => {
      calls.push("startServer");
    },
    runMigrations: async () => {
      calls.push("runMigrations");
      return "SQLite database ./data/sendeasy.sqlite is up to date";
    },
    backup: async (out) => {
      calls.push(`backup ${out}`);
      return { lines: [`backup written to ${out}`], warnings: [] };
    },
    restore: async (file) => {
      calls.push(`restore ${file}`);
      return { lines: [`restored ${file}`], warnings: [] };
    },
    ...overrides,
  };
  return { ctx, stdout, stderr, calls };
}
