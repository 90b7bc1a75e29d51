/**
 * Prefixed, time-sortable ids (SPEC.md §2): a kind prefix such as `msg_` followed by a ULID
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
const BODY_CHARS = 26;
const RANDOM_BYTES = 10;
const RANDOM_BITS = 80n;
const MAX_TIME = 2 ** 48 - 1;
const MAX_BODY = (1n << 128n) - 1n;
// 26 base32 characters carry 130 bits; a 128-bit ULID therefore starts with 0–7.
const BODY_PATTERN = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

function checkedTime(now: number, kind: IdKind): number {
  if (!Number.isInteger(now) || now < 0 || now > MAX_TIME) {
    throw new RangeError(
      `Cannot create a ${kind} id: time ${now} is not an integer in 0…2^48-1 ms`,
    );
  }
  return now;
}

function randomPart(random: RandomBytes, kind: IdKind): bigint {
  const bytes = random(RANDOM_BYTES);
  if (bytes.length < RANDOM_BYTES) {
    throw new RangeError(
      `Cannot create a ${kind} id: the random source returned ${bytes.length} of ${RANDOM_BYTES} bytes`,
    );
  }
  let value = 0n;
  for (let i = 0; i < RANDOM_BYTES; i++) value = (value << 8n) | BigInt(bytes[i] ?? 0);
  return value;
}

// JavaScript's own base-32 digits, in the order of Crockford's alphabet.
const RADIX32_DIGITS = "0123456789abcdefghijklmnopqrstuv";
const TO_CROCKFORD: Record<string, string> = Object.fromEntries(
  [...RADIX32_DIGITS].map((digit, i) => [digit, CROCKFORD.charAt(i)]),
);

// The native `toString(32)` does the 5-bit grouping: ids are made on every send, and a
// BigInt shift per character was a measurable share of the send path.
function encodeBody(value: bigint): string {
  const digits = value.toString(32).padStart(BODY_CHARS, "0");
  let out = "";
  for (let i = 0; i < digits.length; i++) out += TO_CROCKFORD[digits.charAt(i)];
  return out;
}

function format(kind: IdKind, body: bigint): string {
  return ID_PREFIXES[kind] + encodeBody(body);
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
  return format(kind, (BigInt(time) << RANDOM_BITS) | randomPart(options.random, kind));
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
  let last = -1n;
  return (kind: IdKind): string => {
    const time = BigInt(checkedTime(clock.now(), kind));
    const next =
      last >= 0n && time <= last >> RANDOM_BITS
        ? last + 1n
        : (time << RANDOM_BITS) | randomPart(random, kind);
    if (next > MAX_BODY)
      throw new RangeError(`Cannot create a ${kind} id: the id space is exhausted`);
    last = next;
    return format(kind, next);
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
