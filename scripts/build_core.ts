/**
 * Builds `@sendeasy/core` into `core/dist/`: one ES module bundle (`mod.js`, TypeBox left as an
 * import) and the `.d.ts` files of its sources. Run by `bun run build` in `core/`.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");
const CORE = join(ROOT, "core");
const DIST = join(CORE, "dist");

rmSync(DIST, { recursive: true, force: true });

const bundle = await Bun.build({
  entrypoints: [join(CORE, "mod.ts")],
  outdir: DIST,
  // Browser target: nothing of Node or Bun may be assumed, so the bundle runs everywhere.
  target: "browser",
  format: "esm",
  packages: "external",
});
if (!bundle.success) {
  for (const log of bundle.logs) console.error(log);
  process.exit(1);
}

const TSC = join(ROOT, "node_modules", ".bin", "tsc");
const tsc = Bun.spawnSync([TSC, "-p", join(CORE, "tsconfig.build.json")], {
  cwd: CORE,
  stdout: "inherit",
  stderr: "inherit",
});
if (tsc.exitCode !== 0) process.exit(tsc.exitCode ?? 1);

// tsc keeps the sources' `.ts` in the declarations' relative imports
// (microsoft/TypeScript#61037); consumers look for the `.d.ts` of a `.js`.
const RELATIVE_TS = /(["'])(\.{1,2}\/[^"']*?)\.ts\1/g;
for (const entry of readdirSync(DIST, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !entry.name.endsWith(".d.ts")) continue;
  const path = join(entry.parentPath, entry.name);
  const text = readFileSync(path, "utf8");
  // Code lines only: the doc examples in comments keep the sources' spelling.
  const lines = text
    .split("\n")
    .map((line) => (/^\s*\*/.test(line) ? line : line.replace(RELATIVE_TS, "$1$2.js$1")));
  writeFileSync(path, lines.join("\n"));
}
