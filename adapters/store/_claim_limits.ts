/**
 * The argument check of `DeliveryStore.claimDue`, the same in both dialects.
 *
 * @module
 */
import type { ClaimDueOptions } from "../../core/ports/delivery_store.ts";

/** A claim's sizes, checked, with their defaults filled in. */
export interface ClaimLimits {
  limit: number;
  leaseMs: number;
  /** At most this many per webhook (default `limit`). */
  perWebhookLimit: number;
  /** At most this many per company without its own room (default `limit`, at least 1). */
  perCompanyLimit: number;
}

/**
 * A claim's sizes with their defaults, or the caller's bug named.
 *
 * @throws {RangeError} When `limit` is not an integer ≥ 0, or `leaseMs`, `perWebhookLimit` or
 *   `perCompanyLimit` not an integer ≥ 1.
 * @example
 * ```ts
 * claimLimits({ now: new Date(), limit: 10, leaseMs: 45_000 });
 * // { limit: 10, leaseMs: 45000, perWebhookLimit: 10, perCompanyLimit: 10 }
 * ```
 */
export function claimLimits(options: ClaimDueOptions): ClaimLimits {
  const { limit, leaseMs, perWebhookLimit = limit } = options;
  const perCompanyLimit = options.perCompanyLimit ?? Math.max(limit, 1);
  if (
    !isInteger(limit, 0) ||
    !isInteger(leaseMs, 1) ||
    !isInteger(perWebhookLimit, 1) ||
    !isInteger(perCompanyLimit, 1)
  ) {
    throw new RangeError(
      `Cannot claim ${limit} deliveries (${perWebhookLimit} per webhook, ${perCompanyLimit} per company) for ${leaseMs} ms: limit must be an integer ≥ 0, perWebhookLimit, perCompanyLimit and leaseMs integers ≥ 1`,
    );
  }
  return { limit, leaseMs, perWebhookLimit, perCompanyLimit };
}

function isInteger(value: number, min: number): boolean {
  return Number.isSafeInteger(value) && value >= min;
}
