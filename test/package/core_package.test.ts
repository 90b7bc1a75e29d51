import { beforeAll, describe, expect, test } from "bun:test";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { CORE, type InstalledCore, installedCore, REPO, readJson, run } from "./_packed_core.ts";

// What `npm pack` ships and what installing it pulls in, for @sendeasy/core and the root.
let core: InstalledCore;
beforeAll(async () => {
  core = await installedCore();
}, 120_000);

/** Every installed package of a folder (scoped ones included), by name. */
function installedPackages(nodeModules: string): string[] {
  const names: string[] = [];
  for (const entry of readdirSync(nodeModules, { withFileTypes: true })) {
    if (entry.name.startsWith(".")) continue;
    if (entry.name.startsWith("@")) {
      for (const scoped of readdirSync(join(nodeModules, entry.name))) {
        names.push(`${entry.name}/${scoped}`);
      }
    } else names.push(entry.name);
  }
  return names.sort();
}

describe("@sendeasy/core tarball", () => {
  test("holds the bundle, the declarations, the README and package.json only", () => {
    const unexpected = core.packedFiles.filter(
      (path) =>
        !["package.json", "README.md", "dist/mod.js"].includes(path) &&
        !/^dist\/.+\.d\.ts$/.test(path),
    );
    expect(unexpected).toEqual([]);
    expect(core.packedFiles).toContain("dist/mod.js");
    expect(core.packedFiles).toContain("dist/mod.d.ts");
    expect(core.packedFiles).toContain("README.md");
  }, 60_000);

  test("declares ES modules, an exports map and TypeBox as its only dependency", () => {
    const manifest = readJson(join(CORE, "package.json"));
    expect(manifest.name).toBe("@sendeasy/core");
    expect(manifest.type).toBe("module");
    expect(manifest.exports["."]).toEqual({ types: "./dist/mod.d.ts", default: "./dist/mod.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(["@sinclair/typebox"]);
    expect(manifest.devDependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
  }, 60_000);

  test("installs with TypeBox alone: two packages in all", () => {
    expect(installedPackages(join(core.consumer, "node_modules"))).toEqual([
      "@sendeasy/core",
      "@sinclair/typebox",
    ]);
  }, 60_000);

  test("exposes only its entry point: internal modules are not importable", () => {
    const attempt = Bun.spawnSync(
      [
        "/usr/bin/node",
        "--input-type=module",
        "-e",
        'await import("@sendeasy/core/dist/tokens.js")',
      ],
      { cwd: core.consumer, stderr: "pipe" },
    );
    expect(attempt.exitCode).not.toBe(0);
    expect(attempt.stderr.toString()).toContain("ERR_PACKAGE_PATH_NOT_EXPORTED");
  }, 60_000);

  test("carries a JSR config of the same name and version, exporting mod.ts", () => {
    const manifest = readJson(join(CORE, "package.json"));
    const jsr = readJson(join(CORE, "deno.json"));
    expect(jsr.name).toBe(manifest.name);
    expect(jsr.version).toBe(manifest.version);
    expect(jsr.exports).toBe("./mod.ts");
  }, 60_000);
});

describe("the root package's tarball", () => {
  test("ships the server, CLI, adapters, core sources and migrations, but no tests or benchmarks", () => {
    const listed = JSON.parse(run(["npm", "pack", "--dry-run", "--json"], { cwd: REPO }).stdout)[0]
      .files as { path: string }[];
    const paths = listed.map((file) => file.path);
    const tops = [...new Set(paths.map((path) => path.split("/")[0]))].sort();
    expect(tops).toEqual([
      "README.md",
      "adapters",
      "cli",
      "core",
      "drizzle",
      "package.json",
      "server",
    ]);
    expect(paths.filter((path) => path.startsWith("core/dist/"))).toEqual([]);
    expect(paths).toContain("server/main.ts");
    expect(paths).toContain("cli/main.ts");
    expect(paths).toContain("core/mod.ts");
  }, 60_000);
});
