import { describe, expect, test } from "bun:test";
import {
  type ArgsSpec,
  checkIdPrefix,
  parseCommandArgs,
  parseConfigPairs,
  parseCount,
  parseDuration,
  parseInstant,
} from "../../cli/args.ts";

const SPEC: ArgsSpec = {
  flags: {
    name: { type: "string", required: true, description: "" },
    config: { type: "string", multiple: true, description: "" },
    json: { type: "boolean", description: "" },
  },
  positionals: [],
};

const WITH_ID: ArgsSpec = {
  flags: { json: { type: "boolean", description: "" } },
  positionals: [{ name: "int_…" }],
};

describe("parseCommandArgs()", () => {
  test("reads --flag value, --flag=value and boolean flags", () => {
    expect(parseCommandArgs(SPEC, ["--name", "Acme", "--json"])).toEqual({
      ok: true,
      args: { flags: { name: "Acme", json: true }, positionals: [] },
    });
    expect(parseCommandArgs(SPEC, ["--name=a=b"])).toEqual({
      ok: true,
      args: { flags: { name: "a=b" }, positionals: [] },
    });
  });

  test("collects a repeatable flag in the order given", () => {
    const parsed = parseCommandArgs(SPEC, [
      "--config",
      "a=1",
      "--name",
      "N",
      "--config=b=2",
      "--config",
      "a=3",
    ]);
    expect(parsed).toEqual({
      ok: true,
      args: { flags: { config: ["a=1", "b=2", "a=3"], name: "N" }, positionals: [] },
    });
  });

  test("an unknown flag, short or long, is a usage problem naming it", () => {
    expect(parseCommandArgs(SPEC, ["--name", "N", "--nme", "x"])).toEqual({
      ok: false,
      code: "USAGE",
      message: 'unknown flag "--nme"',
    });
    expect(parseCommandArgs(SPEC, ["--name", "N", "-x"])).toMatchObject({
      code: "USAGE",
      message: 'unknown flag "-x"',
    });
    expect(parseCommandArgs(SPEC, ["--name", "N", "--bogus=1"])).toMatchObject({
      message: 'unknown flag "--bogus"',
    });
  });

  test("a missing required flag is a usage problem", () => {
    expect(parseCommandArgs(SPEC, ["--json"])).toEqual({
      ok: false,
      code: "USAGE",
      message: 'missing required flag "--name"',
    });
  });

  test("a string flag without its value is a usage problem, also when another flag follows", () => {
    expect(parseCommandArgs(SPEC, ["--name"])).toMatchObject({
      code: "USAGE",
      message: 'flag "--name" needs a value',
    });
    expect(parseCommandArgs(SPEC, ["--name", "--json"])).toMatchObject({
      message: 'flag "--name" needs a value',
    });
    expect(parseCommandArgs(SPEC, ["--name=--json"])).toMatchObject({
      ok: true,
      args: { flags: { name: "--json" } },
    });
  });

  test("a single flag given twice and a boolean given a value are usage problems", () => {
    expect(parseCommandArgs(SPEC, ["--name", "a", "--name", "b"])).toMatchObject({ code: "USAGE" });
    expect(parseCommandArgs(SPEC, ["--name", "a", "--json=true"])).toMatchObject({
      message: 'flag "--json" takes no value',
    });
  });

  test("positionals must match the spec in number", () => {
    expect(parseCommandArgs(WITH_ID, ["int_1"])).toMatchObject({
      ok: true,
      args: { positionals: ["int_1"] },
    });
    expect(parseCommandArgs(WITH_ID, [])).toMatchObject({
      code: "USAGE",
      message: "missing argument <int_…>",
    });
    expect(parseCommandArgs(WITH_ID, ["int_1", "int_2"])).toMatchObject({
      code: "USAGE",
      message: 'unexpected argument "int_2"',
    });
    expect(parseCommandArgs(SPEC, ["--name", "N", "stray"])).toMatchObject({ code: "USAGE" });
  });

  test("-- ends the flags, so an id may start with a dash", () => {
    expect(parseCommandArgs(WITH_ID, ["--json", "--", "--weird"])).toMatchObject({
      ok: true,
      args: { flags: { json: true }, positionals: ["--weird"] },
    });
  });

  test("--help or -h asks for help even when required flags are missing", () => {
    expect(parseCommandArgs(SPEC, ["--help"])).toEqual({ ok: false, code: "HELP" });
    expect(parseCommandArgs(WITH_ID, ["-h"])).toEqual({ ok: false, code: "HELP" });
  });
});

describe("parseConfigPairs()", () => {
  test("splits each pair at its first = and keeps values as strings", () => {
    expect(
      parseConfigPairs(["apiKey=re_1", "baseUrl=http://x/?a=b", "deliveredAfterMs=10", "empty="]),
    ).toEqual({
      ok: true,
      config: { apiKey: "re_1", baseUrl: "http://x/?a=b", deliveredAfterMs: "10", empty: "" },
    });
  });

  test("rejects a pair without = or without a key", () => {
    expect(parseConfigPairs(["apiKey"])).toEqual({
      ok: false,
      message: '--config expects key=value, got "apiKey"',
    });
    expect(parseConfigPairs(["=value"])).toMatchObject({ ok: false });
  });

  test("rejects a key given twice instead of silently keeping one", () => {
    expect(parseConfigPairs(["a=1", "a=2"])).toEqual({
      ok: false,
      message: '--config key "a" is given more than once',
    });
  });
});

describe("parseDuration()", () => {
  test("reads hours, days and weeks", () => {
    expect(parseDuration("90d")).toEqual({ ok: true, ms: 90 * 86_400_000 });
    expect(parseDuration("12h")).toEqual({ ok: true, ms: 12 * 3_600_000 });
    expect(parseDuration("2w")).toEqual({ ok: true, ms: 14 * 86_400_000 });
    expect(parseDuration("0d")).toEqual({ ok: true, ms: 0 });
  });

  test("rejects a bare number, a unit it does not know, negatives and decimals", () => {
    for (const text of ["90", "90m", "-1d", "1.5d", "d", "", "90 days"]) {
      expect(parseDuration(text)).toMatchObject({ ok: false });
    }
  });
});

describe("parseCount(), parseInstant() and checkIdPrefix()", () => {
  test("parseCount() accepts whole numbers ≥ 0 only", () => {
    expect(parseCount("0")).toBe(0);
    expect(parseCount("500")).toBe(500);
    for (const text of ["-1", "1.5", "1e3", "", "ten"]) expect(parseCount(text)).toBeNull();
  });

  test("parseInstant() normalises ISO dates and refuses loose ones", () => {
    expect(parseInstant("2026-01-31")).toBe("2026-01-31T00:00:00.000Z");
    expect(parseInstant("2026-01-31T12:00:00+02:00")).toBe("2026-01-31T10:00:00.000Z");
    for (const text of ["1", "March 7", "2026-13-45", "tomorrow"])
      expect(parseInstant(text)).toBeNull();
  });

  test("checkIdPrefix() wants the kind's prefix and a body after it", () => {
    expect(checkIdPrefix("ch_01J", "ch_", "channel")).toBeNull();
    expect(checkIdPrefix("int_01J", "ch_", "channel")).toBe(
      'expected a channel id (ch_…), got "int_01J"',
    );
    expect(checkIdPrefix("ch_", "ch_", "channel")).not.toBeNull();
  });
});
