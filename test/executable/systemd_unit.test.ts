/**
 * The systemd unit of docs/operations.md, checked by `systemd-analyze verify` (pointing
 * `ExecStart` at the built executable, which verify requires to exist). Where the command is
 * missing (a container without systemd) the check is skipped and says so.
 */
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { builtExecutable } from "./_executable.ts";

const DOC = join(import.meta.dir, "../../docs/operations.md");
const dir = mkdtempSync(join(tmpdir(), "sendeasy-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The ```ini block after the `systemd-unit` marker. */
function documentedUnit(): string {
  const doc = readFileSync(DOC, "utf8");
  const match = /<!-- systemd-unit[^>]*-->\s*```ini\n([\s\S]*?)```/.exec(doc);
  if (match?.[1] === undefined) throw new Error("docs/operations.md has no systemd unit block");
  return match[1];
}

const analyze = Bun.which("systemd-analyze");
if (analyze === null) console.warn("SKIPPED systemd-analyze verify: the command is not installed");

test("the documented unit starts `sendeasy serve`", () => {
  expect(documentedUnit()).toContain("ExecStart=/usr/local/bin/sendeasy serve\n");
});

test.skipIf(analyze === null)(
  "systemd-analyze verify finds nothing to say about it",
  async () => {
    const binary = await builtExecutable();
    const unit = documentedUnit().replace("/usr/local/bin/sendeasy", binary);
    const path = join(dir, "sendeasy.service");
    writeFileSync(path, unit);
    const child = Bun.spawn([analyze!, "verify", "--man=no", path], {
      stdout: "pipe",
      stderr: "pipe",
    });
    const [out, err, code] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    // verify exits 0 on a line it ignores ("Failed to parse …, ignoring"): any output fails.
    expect({ code, out, err }).toEqual({ code: 0, out: "", err: "" });
  },
  120_000,
);
