#!/usr/bin/env bun
/**
 * `sendeasy`, the admin CLI (README.md#admin-api-and-cli): the composition root. The only file of `cli/` that
 * reads the environment and touches the process; everything else is {@linkcode runCli}.
 *
 * @module
 */
import { EXIT } from "./command.ts";
import { parseCliEnv } from "./env.ts";
import { runCli } from "./run_cli.ts";

const parsed = parseCliEnv(process.env);
if (parsed.ok) {
  process.exitCode = await runCli(process.argv.slice(2), {
    baseUrl: parsed.env.baseUrl,
    adminKey: parsed.env.adminKey,
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    fetch: (url, init) => fetch(url, init),
    now: () => Date.now(),
    // server/main.ts starts the server from process.env when imported; the listening server
    // keeps this process alive after runCli returns.
    startServer: async () => {
      await import("../server/main.ts");
    },
    runMigrations: async () => {
      const { runMigrations } = await import("../server/migrate.ts");
      return runMigrations(process.env);
    },
    backup: async (out) => (await import("../server/backup.ts")).runBackup(process.env, out),
    restore: async (file) => (await import("../server/backup.ts")).runRestore(process.env, file),
  });
} else {
  for (const problem of parsed.problems) process.stderr.write(`error: ${problem}\n`);
  process.exitCode = EXIT.usage;
}
