/**
 * Local channel credits (docs/api.md#credits): what a send costs and whether a balance covers it.
 *
 * @module
 */
import type { ChannelType } from "./domain.ts";

/** What a send is made of, for pricing. */
export interface CreditCostOptions {
  /** Email recipients, `to` + `cc` + `bcc` together. Default 1. Ignored for other channel types. */
  recipients?: number;
  /** SMS segments (see `countSmsSegments`). Default 1. Ignored for other channel types. */
  segments?: number;
}

/** Outcome of {@linkcode takeCredits}. */
export type TakeCreditsResult =
  | { ok: true; remaining: number | null }
  | { ok: false; code: "NO_CREDITS"; balance: number };

/**
 * Prices one accepted send: WhatsApp 1, Email 1 per recipient (`to` + `cc` + `bcc`), SMS 1 per
 * segment.
 *
 * @param channelType The channel the send goes through.
 * @param options The recipient and segment counts; both default to 1.
 * @returns The number of credits the send takes (≥ 1).
 * @throws {RangeError} When `recipients` or `segments` is not a positive integer: payload
 * validation guarantees at least one recipient and one segment, so this is a bug.
 * @example
 * ```ts
 * creditCost("email", { recipients: 3 }); // 3
 * creditCost("sms", { segments: 2 });     // 2
 * creditCost("whatsapp");                 // 1
 * ```
 */
export function creditCost(channelType: ChannelType, options: CreditCostOptions = {}): number {
  switch (channelType) {
    case "whatsapp":
      return 1;
    case "email":
      return positiveCount("recipients", options.recipients ?? 1);
    case "sms":
      return positiveCount("segments", options.segments ?? 1);
  }
}

/**
 * Takes `cost` credits from a channel balance. A `null` balance is unlimited and stays `null`.
 * A balance that does not cover the whole cost is left alone: nothing is sent, nothing is taken
 * (docs/api.md#errors: "not enough left → 402 and nothing sent").
 *
 * @param balance The channel's remaining credits, `null` for unlimited.
 * @param cost What the send costs (see {@linkcode creditCost}).
 * @returns `{ ok: true, remaining }`, or `{ ok: false, code: "NO_CREDITS", balance }` when
 * the balance is short.
 * @throws {RangeError} When `cost` is not a non-negative integer (a bug in the caller).
 * @example
 * ```ts
 * takeCredits(10, 3);   // { ok: true, remaining: 7 }
 * takeCredits(null, 3); // { ok: true, remaining: null }
 * takeCredits(2, 3);    // { ok: false, code: "NO_CREDITS", balance: 2 }
 * ```
 */
export function takeCredits(balance: number | null, cost: number): TakeCreditsResult {
  if (!Number.isSafeInteger(cost) || cost < 0) {
    throw new RangeError(`Cannot take credits: cost ${cost} is not a non-negative integer`);
  }
  if (balance === null) return { ok: true, remaining: null };
  if (balance < cost) return { ok: false, code: "NO_CREDITS", balance };
  return { ok: true, remaining: balance - cost };
}

function positiveCount(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Cannot price a send: ${name} ${value} is not a positive integer`);
  }
  return value;
}
