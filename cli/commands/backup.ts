/**
 * `sendeasy backup --out FILE` and `sendeasy restore FILE` (docs/operations.md "Back up and
 * restore"): run next to the server, on its data dir (`SENDEASY_DATA_DIR`), not through the
 * admin API.
 *
 * @module
 */
import { type BackupLines, type CliContext, type Command, EXIT } from "../command.ts";

function report(ctx: CliContext, result: BackupLines): number {
  for (const line of result.lines) ctx.out(line);
  for (const warning of result.warnings) ctx.err(`warning: ${warning}`);
  return EXIT.ok;
}

/** `backup --out FILE`: a consistent, checked copy of the embedded database and its key. */
export const backup: Command = {
  noun: "backup",
  verb: null,
  summary: "copy the embedded database (and its secret key) while the server runs, and check it",
  flags: {
    out: { type: "string", required: true, placeholder: "FILE", description: "the backup file" },
  },
  positionals: [],
  needsAdminKey: false,
  async run(args, ctx) {
    return report(ctx, await ctx.backup(String(args.flags.out)));
  },
};

/** `restore FILE`: a backup into an empty data dir. */
export const restore: Command = {
  noun: "restore",
  verb: null,
  summary: "restore a backup into an empty data dir (SENDEASY_DATA_DIR)",
  flags: {},
  positionals: [{ name: "FILE", description: "a file written by sendeasy backup" }],
  needsAdminKey: false,
  async run(args, ctx) {
    return report(ctx, await ctx.restore(String(args.positionals[0])));
  },
};

/** The backup commands, as a list like the other nouns. */
export const backupCommands: readonly Command[] = [backup, restore];
