/**
 * `@sendeasy/core` as an embedder gets it: built, packed with `npm pack`, and installed from
 * the tarball into a fresh folder outside the repository. Done once per test run and shared by
 * every test file that asks (they run in one process).
 */
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const REPO = join(import.meta.dir, "..", "..");
export const CORE = join(REPO, "core");
export const NODE = "/usr/bin/node";
export const DENO = join(REPO, "node_modules", ".bin", "deno");
export const TSC = join(REPO, "node_modules", ".bin", "tsc");

/** The package installed in a consumer folder. */
export interface InstalledCore {
  /** The `npm pack` tarball. */
  tarball: string;
  /** Paths inside the tarball, as `npm pack` lists them. */
  packedFiles: string[];
  /** A folder with `package.json`, `node_modules/` and the consumer fixture `consumer.mjs`. */
  consumer: string;
}

/** Runs a command to its end; throws with its output when it fails. */
export function run(
  command: string[],
  options: { cwd: string; env?: Record<string, string> },
): { stdout: string; stderr: string } {
  const result = Bun.spawnSync(command, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const stdout = result.stdout.toString();
  const stderr = result.stderr.toString();
  if (result.exitCode !== 0) {
    throw new Error(`${command.join(" ")} exited ${result.exitCode}\n${stdout}\n${stderr}`);
  }
  return { stdout, stderr };
}

/**
 * This checkout's scratch folder outside the repository (so nothing resolves from the
 * repository's node_modules), emptied at the start of each run: at most one run's worth stays.
 */
export const SCRATCH = join(
  tmpdir(),
  `sendeasy-core-${new Bun.CryptoHasher("sha256").update(REPO).digest("hex").slice(0, 12)}`,
);

function freshFolder(name: string): string {
  const dir = join(SCRATCH, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function buildPackInstall(): Promise<InstalledCore> {
  run(["bun", "run", "build"], { cwd: CORE });
  const packDir = freshFolder("pack");
  const packed = JSON.parse(
    run(["npm", "pack", "--json", "--pack-destination", packDir], { cwd: CORE }).stdout,
  )[0] as { filename: string; files: { path: string }[] };
  const tarball = join(packDir, packed.filename);

  const consumer = freshFolder("consumer");
  writeFileSync(
    join(consumer, "package.json"),
    JSON.stringify({ name: "consumer", private: true, type: "module" }),
  );
  // --prefer-offline: TypeBox comes from npm's cache when it is there.
  run(["npm", "install", "--no-audit", "--no-fund", "--prefer-offline", tarball], {
    cwd: consumer,
  });
  copyFileSync(join(import.meta.dir, "fixtures", "consumer.mjs"), join(consumer, "consumer.mjs"));
  return { tarball, packedFiles: packed.files.map((file) => file.path), consumer };
}

let installed: Promise<InstalledCore> | undefined;

/** The installed package, built on first use. */
export function installedCore(): Promise<InstalledCore> {
  installed ??= buildPackInstall();
  return installed;
}

/** The consumer fixture's result under Bun from the sources: what every runtime must match. */
export async function expectedResult(): Promise<unknown> {
  const fixture: { run(): Promise<unknown> } = await import(
    join(import.meta.dir, "fixtures", "consumer.mjs")
  );
  return JSON.parse(JSON.stringify(await fixture.run()));
}

/** A JSON document read from a file. */
export function readJson(path: string): any {
  return JSON.parse(readFileSync(path, "utf8"));
}
