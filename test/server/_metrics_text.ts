/**
 * Reading Prometheus text in tests: one sample's value, and `promtool check metrics`.
 */
import { expect } from "bun:test";

/** The value of the sample `name` whose labels include `labels`; undefined when absent. */
export function sample(
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found[key] === value)) {
      return Number(match[3]);
    }
  }
  return undefined;
}

/** Whether `promtool` can run here; under CI=true its absence fails the test instead. */
export function promtoolAvailable(): boolean {
  const found = Bun.which("promtool") !== null;
  if (!found && process.env.CI === "true") {
    throw new Error("promtool is missing: apt-get install -y prometheus (.ci/run does)");
  }
  return found;
}

/** Runs `promtool check metrics` on the text and expects it clean (lint problems included). */
export async function expectPromtoolClean(text: string): Promise<void> {
  const child = Bun.spawn(["promtool", "check", "metrics"], {
    stdin: new TextEncoder().encode(text),
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  expect({ code, out, err }).toEqual({ code: 0, out: "", err: "" });
}
