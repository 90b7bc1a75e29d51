import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as core from "@sendeasy/core";
import { CORE } from "./_doc_examples.ts";

// core/mod.ts is the package's whole public API: a short list, each name documented with an
// example. Everything else stays reachable by path for the server, never from the package.
const MOD = join(CORE, "mod.ts");

/** Each name mod.ts re-exports, with the file it comes from. */
function publicNames(): { name: string; file: string }[] {
  const source = readFileSync(MOD, "utf8");
  const names: { name: string; file: string }[] = [];
  for (const match of source.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}\s+from\s+"([^"]+)"/gm)) {
    for (const entry of (match[1] ?? "").split(",")) {
      const name = entry.trim().split(/\s+/).at(-1);
      if (name) names.push({ name, file: join(dirname(MOD), match[2] ?? "") });
    }
  }
  expect(source).not.toMatch(/^export\s+(?:type\s+)?\*/m);
  return names;
}

/** The JSDoc right above a name's first declaration in its file, or `null`. */
function docOf(name: string, file: string): string | null {
  const source = readFileSync(file, "utf8");
  const declaration = new RegExp(
    `^export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function|const|let|class|interface|type)\\s+${name}\\b`,
    "m",
  ).exec(source);
  if (declaration === null) return null;
  const before = source.slice(0, declaration.index).trimEnd();
  if (!before.endsWith("*/")) return null;
  return before.slice(before.lastIndexOf("/**"));
}

const RUNTIME_NAMES = [
  "DEFAULT_RETRY_SCHEDULE_SECONDS",
  "ERROR_CATALOGUE",
  "EmailPayload",
  "ErrorBody",
  "EventEnvelope",
  "SmsPayload",
  "WhatsAppPayload",
  "countSmsSegments",
  "generateToken",
  "hashToken",
  "nextRetryDelay",
  "resolveToken",
  "selectWebhookTargets",
  "signWebhook",
  "validateSendPayload",
  "verifyWebhookRequest",
];

describe("core/mod.ts, the package's entry point", () => {
  test("exports a short, deliberate list of names", () => {
    const names = publicNames().map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.length).toBeGreaterThanOrEqual(15);
    expect(names.length).toBeLessThanOrEqual(30);
    expect(Object.keys(core).sort()).toEqual(RUNTIME_NAMES);
  });

  test("has a module doc with an example", () => {
    const head = readFileSync(MOD, "utf8").split("*/")[0] ?? "";
    expect(head).toContain("@module");
    expect(head).toContain("@example");
  });

  test.each(publicNames().map((entry) => [entry.name, entry.file] as const))(
    "%s is documented with an example",
    (name, file) => {
      const doc = docOf(name, file);
      expect(doc ?? `no JSDoc above ${name}`).toContain("@example");
    },
  );
});
