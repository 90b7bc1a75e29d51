/**
 * `sendeasy serve` (README.md#admin-api-and-cli, docs/configuration.md): runs the server in this process, configured by the
 * environment like `bun start`.
 *
 * @module
 */
import { type Command, EXIT } from "../command.ts";

/** `serve`: starts the server; the process then lives as long as the server does. */
export const serve: Command = {
  noun: "serve",
  verb: null,
  summary:
    "start the server in this process (configured by PORT, DATABASE_URL, … see docs/configuration.md)",
  flags: {},
  positionals: [],
  needsAdminKey: false,
  async run(_args, ctx) {
    await ctx.startServer();
    return EXIT.ok;
  },
};

/** The `serve` command, as a list like the other nouns. */
export const serveCommands: readonly Command[] = [serve];
