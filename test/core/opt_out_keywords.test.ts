import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { optOutIntent, START_KEYWORDS, STOP_KEYWORDS } from "../../core/opt_out_keywords.ts";
import { suppressionForProviderError } from "../../core/provider_opt_outs.ts";

/** Upper, lower or mixed case of a keyword, with surrounding whitespace. */
const spelledArb = (words: readonly string[]) =>
  fc
    .tuple(
      fc.constantFrom(...words),
      fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
      fc.constantFrom("", " ", "\n", "\t ", "  "),
      fc.constantFrom("", " ", "\n"),
    )
    .map(
      ([word, upper, before, after]) =>
        before +
        [...word].map((c, i) => (upper[i] ? c.toUpperCase() : c.toLowerCase())).join("") +
        after,
    );

describe("optOutIntent()", () => {
  test("the carriers' words, as listed", () => {
    expect(STOP_KEYWORDS).toEqual(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"]);
    expect(START_KEYWORDS).toEqual(["START", "UNSTOP", "YES"]);
  });

  test("any spelling of an opt-out word, alone, is stop; of an opt-in word, start", () => {
    fc.assert(
      fc.property(spelledArb(STOP_KEYWORDS), (text) => expect(optOutIntent(text)).toBe("stop")),
    );
    fc.assert(
      fc.property(spelledArb(START_KEYWORDS), (text) => expect(optOutIntent(text)).toBe("start")),
    );
  });

  test("a keyword inside a longer message is a message, not an opt-out", () => {
    for (const text of [
      "please stop calling",
      "stop!",
      "STOP.",
      "yes please",
      "end of story",
      "s t o p",
      "",
    ]) {
      expect(optOutIntent(text)).toBeNull();
    }
    expect(optOutIntent(undefined)).toBeNull();
  });

  test("Twilio's OptOutType wins over the text", () => {
    expect(optOutIntent("arrêt", { optOutType: "STOP" })).toBe("stop");
    expect(optOutIntent("stop", { optOutType: "START" })).toBe("start");
    expect(optOutIntent("help", { optOutType: "HELP" })).toBeNull();
    expect(optOutIntent("stop", { optOutType: "HELP" })).toBe("stop");
  });
});

describe("suppressionForProviderError()", () => {
  test("Twilio 21610 is a stop and Meta 131050 an unsubscribe; other codes say nothing", () => {
    expect(suppressionForProviderError("twilio", "21610")).toBe("stop");
    expect(suppressionForProviderError("meta", "131050")).toBe("unsubscribe");
    expect(suppressionForProviderError("meta", "21610")).toBeNull();
    expect(suppressionForProviderError("twilio", "21211")).toBeNull();
    expect(suppressionForProviderError("meta", "131047")).toBeNull();
  });
});
