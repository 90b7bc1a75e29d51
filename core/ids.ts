/**
 * Prefixed, time-sortable ids (docs/api.md#concepts): a kind prefix such as `msg_` followed by a ULID
 * body — 26 Crockford base32 characters holding a 48-bit millisecond timestamp and 80 random
 * bits. Ids of one kind sort by creation time as plain strings.
 *
 * @module
 */
import type { Clock } from "./ports/clock.ts";
import type { RandomBytes } from "./ports/random.ts";

/**
 * The prefix of every id kind.
 *
 * @example
 * ```ts
 * ID_PREFIXES.message; // "msg_"
 * ```
 */
export const ID_PREFIXES = {
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
} as const;

/**
 * A kind of id, named after the thing it identifies.
 *
 * @example
 * ```ts
 * const kind: IdKind = "delivery";
 * ```
 */
export type IdKind = keyof typeof ID_PREFIXES;

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const TIME_CHARS = 10;
const RANDOM_BYTES = 10;
const MAX_TIME = 2 ** 48 - 1;
// 26 base32 characters carry 130 bits; a 128-bit ULID therefore starts with 0–7.
const BODY_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

// Ids are made several times per send, so the body is kept in plain numbers (the 48-bit time
// and two 40-bit halves of the random part, all exact in a double) and encoded ten bits at a
// time from a table of character pairs; BigInt arithmetic was a visible share of the send path.
const TWO_20 = 2 ** 20;
const TWO_40 = 2 ** 40;
const PAIRS: readonly string[] = Array.from(
  { length: 1024 },
  (_, i) => CROCKFORD.charAt(i >> 5) + CROCKFORD.charAt(i & 31),
);

/** Eight characters for a 40-bit integer. */
function encode40(value: number): string {
  const high = Math.floor(value / TWO_20);
  const low = value - high * TWO_20;
  return (
    (PAIRS[high >> 10] as string) +
    (PAIRS[high & 1023] as string) +
    (PAIRS[low >> 10] as string) +
    (PAIRS[low & 1023] as string)
  );
}

/** The 26-character body: ten for the time, sixteen for the random part. */
function encodeBody(time: number, high: number, low: number): string {
  const top = Math.floor(time / TWO_40);
  return (PAIRS[top] as string) + encode40(time - top * TWO_40) + encode40(high) + encode40(low);
}

function checkedTime(now: number, kind: IdKind): number {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(
      `Cannot create a ${kind} id: time ${now} is not an integer in 0…2^48-1 ms`,
    );
  }
  return now;
}

/** The 80 random bits as two 40-bit integers. */
function randomPart(random: RandomBytes, kind: IdKind): [high: number, low: number] {
  const b = random(RANDOM_BYTES);
  if (b.length < RANDOM_BYTES) {
    throw new RangeError(
      `Cannot create a ${kind} id: the random source returned ${b.length} of ${RANDOM_BYTES} bytes`,
    );
  }
  const word = (i: number) =>
    (b[i] as number) * 2 ** 32 +
    (b[i + 1] as number) * 2 ** 24 +
    (b[i + 2] as number) * 2 ** 16 +
    (b[i + 3] as number) * 2 ** 8 +
    (b[i + 4] as number);
  return [word(0), word(5)];
}

/**
 * Creates one id of `kind` for the time `now`, with fresh random bits.
 *
 * @param kind What the id identifies; picks the prefix.
 * @param options.now Milliseconds since the Unix epoch (an integer below 2^48).
 * @param options.random Source of the 80 random bits.
 * @returns The prefixed id, e.g. `msg_01J9Z3…` (prefix + 26 characters).
 * @throws {RangeError} When `now` is out of range or `random` returns too few bytes.
 *
 * @example
 * ```ts
 * const id = newId("message", { now: Date.now(), random: (n) => crypto.getRandomValues(new Uint8Array(n)) });
 * id.startsWith("msg_"); // true
 * ```
 */
export function newId(kind: IdKind, options: { now: number; random: RandomBytes }): string {
  const time = checkedTime(options.now, kind);
  const [high, low] = randomPart(options.random, kind);
  return ID_PREFIXES[kind] + encodeBody(time, high, low);
}

/**
 * Returns an id maker that is monotonic: within one millisecond (or when the clock steps back)
 * it reuses the last timestamp and increments the random part by one, as ULID's monotonic
 * factory does, so an id created later never sorts before an earlier one. Should the random
 * part overflow, the carry moves into the timestamp, which keeps the order.
 *
 * The state is shared by every kind, so ids of any kind made by one factory keep creation order.
 *
 * @param clock Gives the current time.
 * @param random Source of the random bits for each new millisecond.
 * @returns A function making the next id of a kind.
 *
 * @example
 * ```ts
 * const nextId = createIdFactory({ now: () => 1_700_000_000_000 }, (n) => new Uint8Array(n));
 * nextId("event") < nextId("event"); // true, even with a frozen clock
 * ```
 */
export function createIdFactory(clock: Clock, random: RandomBytes): (kind: IdKind) => string {
  let lastTime = -1;
  let high = 0;
  let low = 0;
  return (kind: IdKind): string => {
    const time = checkedTime(clock.now(), kind);
    if (lastTime >= 0 && time <= lastTime) {
      // last + 1 over (time, high, low), the carry moving up; nothing changes if it overflows.
      let nextTime = lastTime;
      let nextHigh = high;
      let nextLow = low + 1;
      if (nextLow === TWO_40) {
        nextLow = 0;
        nextHigh++;
      }
      if (nextHigh === TWO_40) {
        nextHigh = 0;
        nextTime++;
      }
      if (nextTime > MAX_TIME) {
        throw new RangeError(`Cannot create a ${kind} id: the id space is exhausted`);
      }
      lastTime = nextTime;
      high = nextHigh;
      low = nextLow;
    } else {
      [high, low] = randomPart(random, kind);
      lastTime = time;
    }
    return ID_PREFIXES[kind] + encodeBody(lastTime, high, low);
  };
}

function splitId(id: string): { kind: IdKind; body: string } | null {
  for (const kind of Object.keys(ID_PREFIXES) as IdKind[]) {
    const prefix = ID_PREFIXES[kind];
    if (id.startsWith(prefix)) {
      const body = id.slice(prefix.length);
      return BODY_PATTERN.test(body) ? { kind, body } : null;
    }
  }
  return null;
}

/**
 * Reads the creation time out of an id.
 *
 * @param id Any id made by {@link newId} or {@link createIdFactory}.
 * @returns Milliseconds since the Unix epoch, or `null` when `id` is not a well-formed id.
 *
 * @example
 * ```ts
 * const random = (n: number) => crypto.getRandomValues(new Uint8Array(n));
 * idTimestamp(newId("channel", { now: 1_700_000_000_000, random })); // 1700000000000
 * idTimestamp("nope"); // null
 * ```
 */
export function idTimestamp(id: string): number | null {
  const parts = splitId(id);
  if (parts === null) return null;
  let time = 0;
  for (const char of parts.body.slice(0, TIME_CHARS)) time = time * 32 + CROCKFORD.indexOf(char);
  return time;
}

/**
 * Checks that `id` has the shape of an id of `kind`: its prefix then 26 canonical (upper-case)
 * Crockford base32 characters. A shape check only; it says nothing about existence.
 *
 * @param id The string to check, e.g. a path parameter.
 * @param kind The expected kind.
 * @returns `true` when the shape matches.
 *
 * @example
 * ```ts
 * hasIdPrefix("ch_01HZY3V5T8W9X0A1B2C3D4E5F6", "channel"); // true
 * hasIdPrefix("ch_01HZY3V5T8W9X0A1B2C3D4E5F6", "company"); // false
 * ```
 */
export function hasIdPrefix(id: string, kind: IdKind): boolean {
  const prefix = ID_PREFIXES[kind];
  return id.startsWith(prefix) && BODY_PATTERN.test(id.slice(prefix.length));
}
