/**
 * What the three channel payload suites share (docs/api.md#sending): the seed's curl body, the
 * exported TypeBox schema, and the way a broken field is reported.
 */
import { expect, test } from "bun:test";
import type { TObject } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import type { ChannelType } from "../../../core/domain.ts";
import { validateSendPayload } from "../../../core/payloads/validate.ts";

/** One rule of a channel's table: [field, case, patch of the seed, path, message fragment]. */
export type Violation = readonly [string, string, Record<string, unknown>, string, string];

/** The seed body with some fields replaced (`undefined` removes the field), and its details. */
export function payloadCases(channelType: ChannelType, seed: Record<string, unknown>) {
  return {
    patched(patch: Record<string, unknown>): Record<string, unknown> {
      const body: Record<string, unknown> = { ...seed, ...patch };
      for (const [key, value] of Object.entries(patch)) if (value === undefined) delete body[key];
      return body;
    },
    detailsOf(body: unknown) {
      const result = validateSendPayload(channelType, body);
      return result.ok ? [] : result.details;
    },
  };
}

/**
 * The tests every channel's payload passes: the seed is valid and kept as given, it matches
 * the exported schema (closed, with `required` as the contract says), every field is described
 * for OpenAPI, and each violation is reported at its path. Call inside the channel's `describe`.
 */
export function sharedPayloadTests(options: {
  channelType: ChannelType;
  seed: Record<string, unknown>;
  schema: TObject;
  required: readonly string[];
  violations: readonly Violation[];
}): void {
  const { channelType, seed, schema } = options;
  const { patched, detailsOf } = payloadCases(channelType, seed);

  test("the seed's curl body is valid and kept as given", () => {
    const result: unknown = validateSendPayload(channelType, seed);
    expect(result).toEqual({ ok: true, channelType, payload: seed });
  });

  test("the seed's body matches the exported TypeBox schema", () => {
    expect(Value.Check(schema, seed)).toBe(true);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required ?? []).toEqual([...options.required]);
  });

  test("every field has a description for OpenAPI", () => {
    for (const [field, property] of Object.entries(schema.properties)) {
      expect({ field, description: typeof property.description }).toEqual({
        field,
        description: "string",
      });
    }
  });

  test.each(options.violations)(
    "%s (%s) is reported at its path",
    (_field, _case, patch, path, words) => {
      const details = detailsOf(patched(patch));
      expect(details.length).toBeGreaterThan(0);
      expect(details.map((d) => d.path)).toEqual(details.map(() => path));
      expect(details.map((d) => d.message).join("\n")).toContain(words);
    },
  );
}
