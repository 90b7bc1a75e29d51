import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  createIdFactory,
  hasIdPrefix,
  ID_PREFIXES,
  type IdKind,
  idTimestamp,
  newId,
} from "../../core/ids.ts";
import type { RandomBytes } from "../../core/ports/random.ts";
import {
  idKindArb,
  idTimeArb,
  randomBytesArb,
  recentTimeArb,
  seededRandomBytes,
} from "../arbitraries/ids_arbs.ts";

const CROCKFORD_BODY = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const KINDS = Object.keys(ID_PREFIXES) as IdKind[];
const zeros: RandomBytes = (n) => new Uint8Array(n);
const ones: RandomBytes = (n) => new Uint8Array(n).fill(0xff);

describe("ID_PREFIXES", () => {
  test("names docs/api.md#concepts's prefixes", () => {
    expect(ID_PREFIXES).toEqual({
      company: "co_",
      channel: "ch_",
      integration: "int_",
      message: "msg_",
      event: "evt_",
      delivery: "dlv_",
      attempt: "att_",
      request: "req_",
      adminKey: "key_",
      suppression: "sup_",
    });
  });

  test("no prefix is the start of another, so an id names one kind", () => {
    for (const a of KINDS) {
      for (const b of KINDS) {
        if (a !== b) expect(ID_PREFIXES[a].startsWith(ID_PREFIXES[b])).toBe(false);
      }
    }
  });
});

describe("newId()", () => {
  test("makes the kind's prefix and a 26-character Crockford body", () => {
    fc.assert(
      fc.property(idKindArb, idTimeArb, randomBytesArb, (kind, now, random) => {
        const id = newId(kind, { now, random });
        expect(id.startsWith(ID_PREFIXES[kind])).toBe(true);
        expect(id.slice(ID_PREFIXES[kind].length)).toMatch(CROCKFORD_BODY);
        expect(hasIdPrefix(id, kind)).toBe(true);
      }),
    );
  });

  test("encodes the time like ULID's reference vector", () => {
    // github.com/ulid/spec: ulid(1469918176385) starts with 01ARYZ6S41.
    const id = newId("message", { now: 1469918176385, random: zeros });
    expect(id).toBe("msg_01ARYZ6S410000000000000000");
  });

  test("encodes all 80 random bits", () => {
    expect(newId("event", { now: 0, random: ones })).toBe("evt_0000000000ZZZZZZZZZZZZZZZZ");
    const bytes = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
    expect(newId("event", { now: 0, random: () => bytes })).toBe("evt_00000000000000000000000001");
  });

  test("equals ULID's 128-bit big-endian value in Crockford base32, bit for bit", () => {
    // Reference: the body as one BigInt (time << 80 | random), written in base 32.
    const reference = (now: number, bytes: Uint8Array) => {
      let value = BigInt(now);
      for (const byte of bytes) value = (value << 8n) | BigInt(byte);
      let out = "";
      for (let i = 0; i < 26; i++) {
        out = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".charAt(Number(value & 31n)) + out;
        value >>= 5n;
      }
      return out;
    };
    fc.assert(
      fc.property(idTimeArb, fc.uint8Array({ minLength: 10, maxLength: 10 }), (now, bytes) => {
        const id = newId("message", { now, random: () => bytes });
        expect(id.slice("msg_".length)).toBe(reference(now, bytes));
      }),
      { numRuns: 500 },
    );
  });

  test("round-trips its time through idTimestamp()", () => {
    fc.assert(
      fc.property(idKindArb, idTimeArb, randomBytesArb, (kind, now, random) => {
        expect(idTimestamp(newId(kind, { now, random }))).toBe(now);
      }),
    );
  });

  test("ids sort by time, whatever their random part", () => {
    fc.assert(
      fc.property(idKindArb, idTimeArb, idTimeArb, randomBytesArb, (kind, t1, t2, random) => {
        fc.pre(t1 !== t2);
        const [early, late] = t1 < t2 ? [t1, t2] : [t2, t1];
        const a = newId(kind, { now: early, random });
        const b = newId(kind, { now: late, random });
        expect(a < b).toBe(true);
      }),
    );
  });

  test("the largest time is 2^48 - 1 ms", () => {
    expect(newId("company", { now: 2 ** 48 - 1, random: ones })).toBe(`co_7${"Z".repeat(25)}`);
  });

  test("rejects times outside 0…2^48-1 and fractional times", () => {
    for (const now of [-1, 2 ** 48, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => newId("message", { now, random: zeros })).toThrow(RangeError);
    }
  });

  test("rejects a random source that returns too few bytes", () => {
    expect(() => newId("message", { now: 0, random: () => new Uint8Array(9) })).toThrow(
      /returned 9 of 10 bytes/,
    );
  });
});

describe("createIdFactory()", () => {
  test("keeps creation order under a frozen clock", () => {
    fc.assert(
      fc.property(
        idKindArb,
        recentTimeArb,
        randomBytesArb,
        fc.integer({ min: 2, max: 200 }),
        (kind, now, random, count) => {
          const nextId = createIdFactory({ now: () => now }, random);
          const ids = Array.from({ length: count }, () => nextId(kind));
          for (let i = 1; i < ids.length; i++) expect(ids[i - 1]! < ids[i]!).toBe(true);
          for (const id of ids) expect(idTimestamp(id)).toBe(now);
        },
      ),
    );
  });

  test("ids created later never sort earlier, even when the clock steps back", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_050 }), {
          minLength: 2,
          maxLength: 100,
        }),
        randomBytesArb,
        (times, random) => {
          let i = 0;
          const nextId = createIdFactory({ now: () => times[i++ % times.length]! }, random);
          const ids = times.map(() => nextId("event"));
          for (let j = 1; j < ids.length; j++) expect(ids[j - 1]! < ids[j]!).toBe(true);
          // The embedded time never runs ahead of the clock readings seen so far.
          let seen = 0;
          times.forEach((time, j) => {
            seen = Math.max(seen, time);
            expect(idTimestamp(ids[j]!)).toBe(seen);
          });
        },
      ),
    );
  });

  test("increments the random part by one within a millisecond", () => {
    const nextId = createIdFactory({ now: () => 0 }, zeros);
    expect([nextId("delivery"), nextId("delivery"), nextId("delivery")]).toEqual([
      "dlv_00000000000000000000000000",
      "dlv_00000000000000000000000001",
      "dlv_00000000000000000000000002",
    ]);
  });

  test("draws fresh random bits only for a new millisecond", () => {
    let now = 1000;
    let draws = 0;
    const random: RandomBytes = (n) => {
      draws++;
      return seededRandomBytes(draws)(n);
    };
    const nextId = createIdFactory({ now: () => now }, random);
    nextId("message");
    nextId("message");
    expect(draws).toBe(1);
    now = 1001;
    const fresh = nextId("message");
    expect(draws).toBe(2);
    expect(idTimestamp(fresh)).toBe(1001);
  });

  test("shares one sequence across kinds", () => {
    const nextId = createIdFactory({ now: () => 5 }, zeros);
    const a = nextId("message");
    const b = nextId("event");
    expect(a.slice(ID_PREFIXES.message.length) < b.slice(ID_PREFIXES.event.length)).toBe(true);
  });

  test("carries an overflowing random part into the time, keeping order", () => {
    const nextId = createIdFactory({ now: () => 1000 }, ones);
    const first = nextId("attempt");
    const second = nextId("attempt");
    expect(first < second).toBe(true);
    expect(idTimestamp(first)).toBe(1000);
    expect(idTimestamp(second)).toBe(1001);
  });

  test("refuses to go past the last id", () => {
    const nextId = createIdFactory({ now: () => 2 ** 48 - 1 }, ones);
    nextId("request");
    expect(() => nextId("request")).toThrow(/exhausted/);
  });

  test("rejects a clock outside the id range", () => {
    const nextId = createIdFactory({ now: () => -5 }, zeros);
    expect(() => nextId("request")).toThrow(RangeError);
  });
});

describe("idTimestamp()", () => {
  test("is null for strings that are not ids", () => {
    for (const value of [
      "",
      "msg_",
      "nope_01ARYZ6S410000000000000000",
      "msg_01ARYZ6S41000000000000000", // 25 characters
      "msg_01ARYZ6S4100000000000000000", // 27 characters
      "msg_01aryz6s410000000000000000", // lower case
      "msg_01ARYZ6S4100000000000000OU", // O and U are not Crockford digits
      "msg_81ARYZ6S410000000000000000", // over 128 bits
    ]) {
      expect(idTimestamp(value)).toBeNull();
    }
  });

  test("reads every kind", () => {
    for (const kind of KINDS) expect(idTimestamp(newId(kind, { now: 42, random: ones }))).toBe(42);
  });
});

describe("hasIdPrefix()", () => {
  test("accepts an id only for its own kind", () => {
    fc.assert(
      fc.property(idKindArb, idKindArb, idTimeArb, randomBytesArb, (kind, other, now, random) => {
        const id = newId(kind, { now, random });
        expect(hasIdPrefix(id, other)).toBe(kind === other);
      }),
    );
  });

  test("rejects a right prefix with a wrong body", () => {
    expect(hasIdPrefix("ch_", "channel")).toBe(false);
    expect(hasIdPrefix("ch_123", "channel")).toBe(false);
    expect(hasIdPrefix(`ch_${"I".repeat(26)}`, "channel")).toBe(false);
    expect(hasIdPrefix(`ch_${"0".repeat(26)}`, "channel")).toBe(true);
  });

  test("rejects arbitrary strings unless they are shaped like an id", () => {
    fc.assert(
      fc.property(idKindArb, fc.string(), (kind, body) => {
        const shaped = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(body);
        expect(hasIdPrefix(ID_PREFIXES[kind] + body, kind)).toBe(shaped);
      }),
    );
  });
});
