/**
 * `sendeasy migrate` (README.md#admin-api-and-cli): applies the database migrations for the configured store
 * (`DATABASE_URL`, else the embedded SQLite in `SENDEASY_DATA_DIR`).
 *
 * @module
 */
import { type Command, EXIT } from "../command.ts";

/** `migrate`: applies pending migrations and prints what was applied. */
export const migrate: Command = {
  noun: "migrate",
  verb: null,
  summary: "apply database migrations and print what was applied",
  flags: {},
  positionals: [],
  needsAdminKey: false,
  async run(_args, ctx) {
    ctx.out(await ctx.runMigrations());
    return EXIT.ok;
  },
};

/** The `migrate` command, as a list like the other nouns. */
export const migrateCommands: readonly Command[] = [migrate];
