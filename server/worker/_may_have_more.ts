/**
 * What a delivery claim that found less than it asked for tells the worker: which
 * destinations may still have due work it did not lease.
 *
 * @module
 */
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import { destinationKey } from "../../core/union_rule.ts";

/** The bounds a claim ran under (see `DestinationSlots.busy()`). */
export interface ClaimBounds {
  keys: readonly string[];
  perCompanyClaim: number;
  companyRoom: ReadonlyMap<string, number>;
}

/**
 * The destinations that may have more due after a short claim: besides those it skipped,
 * those it filled up to their limit, or whose company it filled up to its room.
 *
 * @param busy the bounds the claim ran under
 * @param claims what it leased
 * @param perDestination the claim's per-webhook limit
 * @returns destination keys
 */
export function mayHaveMoreAfter(
  busy: ClaimBounds,
  claims: readonly ClaimedDelivery[],
  perDestination: number,
): Set<string> {
  const mayHaveMore = new Set(busy.keys);
  const perWebhook = new Map<string, number>();
  const perCompany = new Map<string, ClaimedDelivery[]>();
  for (const claim of claims) {
    const { webhook } = claim;
    const count = (perWebhook.get(webhook.id) ?? 0) + 1;
    perWebhook.set(webhook.id, count);
    if (count >= perDestination) mayHaveMore.add(destinationKey(webhook));
    const ofCompany = perCompany.get(webhook.companyId) ?? [];
    ofCompany.push(claim);
    perCompany.set(webhook.companyId, ofCompany);
  }
  for (const [companyId, ofCompany] of perCompany) {
    const room = busy.companyRoom.get(companyId) ?? busy.perCompanyClaim;
    if (ofCompany.length < room) continue;
    for (const { webhook } of ofCompany) mayHaveMore.add(destinationKey(webhook));
  }
  return mayHaveMore;
}
