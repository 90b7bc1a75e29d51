/**
 * `bun run build`: compiles Sendeasy into one executable, `dist/sendeasy` (or `--outfile PATH`).
 * The CLI is the entry (`sendeasy serve` starts the server); the SQLite writer thread's script
 * is a second entrypoint, as Bun needs for a `Worker` in a compiled executable; the settings
 * page's assets and the migrations are imported as text, so they are inside it too.
 */
import { join } from "node:path";
import { WRITER_WORKER_ENTRY } from "../adapters/store/sqlite/writer/thread_runner.ts";

const ROOT = join(import.meta.dir, "..");

/** The entrypoints of the executable, relative to the repository. */
export const ENTRYPOINTS = ["cli/main.ts", WRITER_WORKER_ENTRY];

/**
 * Compiles the executable.
 *
 * @param outfile Where to write it.
 * @throws {Error} With the bundler's messages when the build fails.
 */
export async function buildExecutable(outfile: string): Promise<void> {
  const result = await Bun.build({
    entrypoints: ENTRYPOINTS.map((entry) => join(ROOT, entry)),
    compile: { outfile },
  });
  if (!result.success) {
    throw new Error(`build failed:\n${result.logs.map((log) => String(log)).join("\n")}`);
  }
}

if (import.meta.main) {
  const flag = process.argv.indexOf("--outfile");
  const outfile = flag === -1 ? join(ROOT, "dist/sendeasy") : String(process.argv[flag + 1]);
  await buildExecutable(outfile);
  console.log(`built ${outfile}`);
}
