import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import fc from "fast-check";
import type { ChannelType } from "../../../core/domain.ts";
import {
  EmailPayload,
  type PayloadResult,
  SmsPayload,
  validateSendPayload,
  WhatsAppPayload,
} from "../../../core/payloads/mod.ts";
import {
  channelTypeArb,
  FIELDS,
  nearValidBodyArb,
  PAYLOAD_ARBS,
  unknownKeyArb,
  withOwnKeys,
} from "../../arbitraries/payload_arbs.ts";

const SCHEMAS = { whatsapp: WhatsAppPayload, email: EmailPayload, sms: SmsPayload };
const CHANNELS: ChannelType[] = ["whatsapp", "email", "sms"];

// RFC 6901: "" or a sequence of "/" + segment, "~" only as "~0" or "~1".
const JSON_POINTER = /^(\/([^~/]|~[01])*)*$/;
const MESSAGE_FORM =
  /^(Missing field|Invalid field|Unknown field|Invalid body|Too many problems)\b/;

const anythingArb = fc.anything({
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
  withObjectString: true,
  stringUnit: "binary",
});

/** A valid body, possibly with `channelType` equal to the token's. */
function validBodyArb(channelType: ChannelType) {
  return fc
    .tuple(PAYLOAD_ARBS[channelType], fc.boolean())
    .map(([body, declare]) => (declare ? { ...body, channelType } : body));
}

/** Whether `path` names a place in `body`: an existing value, or a missing member of an object. */
function pointsInto(body: unknown, path: string): boolean {
  if (path === "") return true;
  const segments = path
    .slice(1)
    .split("/")
    .map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  let node: unknown = body;
  for (const [i, segment] of segments.entries()) {
    if (typeof node !== "object" || node === null) return false;
    if (!Object.hasOwn(node, segment)) return i === segments.length - 1 && !Array.isArray(node);
    node = (node as Record<string, unknown>)[segment];
  }
  return true;
}

function expectWellFormed(result: PayloadResult, body: unknown): void {
  if (result.ok) return;
  expect(result.details.length).toBeGreaterThan(0);
  for (const { path, message } of result.details) {
    expect(path).toMatch(JSON_POINTER);
    expect(pointsInto(body, path)).toBe(true);
    expect(message).toMatch(MESSAGE_FORM);
  }
}

describe("validateSendPayload() properties", () => {
  test("never throws on any JSON value, and answers ok or at least one well-placed detail", () => {
    fc.assert(
      fc.property(channelTypeArb, fc.jsonValue(), (channelType, body) => {
        expectWellFormed(validateSendPayload(channelType, body), body);
      }),
      { numRuns: 500 },
    );
  });

  test("never throws on anything at all, as the body or as a field of a valid body", () => {
    const caseArb = channelTypeArb.chain((channelType) =>
      fc.tuple(
        fc.constant(channelType),
        PAYLOAD_ARBS[channelType],
        fc.option(fc.constantFrom(...FIELDS[channelType], "channelType"), { nil: undefined }),
        anythingArb,
      ),
    );
    fc.assert(
      fc.property(caseArb, ([channelType, valid, field, value]) => {
        const body = field === undefined ? value : { ...valid, [field]: value };
        const result = validateSendPayload(channelType, body);
        expect(typeof result.ok).toBe("boolean");
        if (!result.ok) expect(result.details.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  for (const channelType of CHANNELS) {
    test(`a valid ${channelType} body is accepted, and its payload validates again to itself`, () => {
      fc.assert(
        fc.property(validBodyArb(channelType), (body) => {
          const first = validateSendPayload(channelType, body);
          if (!first.ok) throw new Error(JSON.stringify(first.details));
          expect(first.channelType).toBe(channelType);
          expect("channelType" in first.payload).toBe(false);
          expect(validateSendPayload(channelType, first.payload)).toEqual(first);
        }),
        { numRuns: 200 },
      );
    });

    test(`a normalized ${channelType} payload matches the exported schema`, () => {
      fc.assert(
        fc.property(PAYLOAD_ARBS[channelType], (body) => {
          const result = validateSendPayload(channelType, body);
          // TypeBox counts maxLength in UTF-16 units; only texts with astral characters differ.
          const astral = /[\ud800-\udfff]/.test(JSON.stringify(result));
          expect(result.ok && (astral || Value.Check(SCHEMAS[channelType], result.payload))).toBe(
            true,
          );
        }),
        { numRuns: 200 },
      );
    });

    test(`every unknown key of a ${channelType} body gets a detail at its path`, () => {
      fc.assert(
        fc.property(
          PAYLOAD_ARBS[channelType],
          fc.uniqueArray(fc.tuple(unknownKeyArb, fc.jsonValue()), {
            minLength: 1,
            maxLength: 5,
            selector: ([key]) => key,
          }),
          (body, extra) => {
            const result = validateSendPayload(channelType, withOwnKeys(body, extra));
            const paths = result.ok ? [] : result.details.map((d) => d.path);
            for (const [key] of extra) {
              expect(paths).toContain(`/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`);
            }
          },
        ),
      );
    });

    test(`an almost valid ${channelType} body gets the same answer with or without a matching channelType`, () => {
      // The compiled schema refuses any channelType field, so this compares the hot path with
      // the full explanation on the same payload.
      fc.assert(
        fc.property(nearValidBodyArb(channelType), (body) => {
          const plain = validateSendPayload(channelType, body);
          const declared = validateSendPayload(channelType, { ...body, channelType });
          expect(declared).toEqual(plain);
          expectWellFormed(plain, body);
        }),
        { numRuns: 1000 },
      );
    });

    test(`validating a ${channelType} body leaves it untouched`, () => {
      fc.assert(
        fc.property(nearValidBodyArb(channelType), (body) => {
          const before = structuredClone(body);
          validateSendPayload(channelType, body);
          expect(body).toEqual(before);
        }),
      );
    });
  }

  test("a body valid for one channel type is refused by the others", () => {
    const caseArb = channelTypeArb.chain((made) =>
      fc.tuple(PAYLOAD_ARBS[made], fc.constantFrom(...CHANNELS.filter((other) => other !== made))),
    );
    fc.assert(
      fc.property(caseArb, ([body, used]) => {
        expect(validateSendPayload(used, body).ok).toBe(false);
      }),
    );
  });
});
