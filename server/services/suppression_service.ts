/**
 * Adding and removing suppressions with their `recipient.*` events (README "Suppressions"),
 * whatever caused them: an opt-out reply, a provider's error or report, or an operator. The
 * event names the channel whose traffic caused the change (none for the admin API) and goes
 * to webhooks by the union rule.
 *
 * @module
 */
import type { Channel, ChannelType, Suppression, SuppressionReason } from "../../core/domain.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { SuppressionAdded, SuppressionStore } from "../../core/ports/suppression_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { suppressionAddress } from "../../core/suppression_address.ts";
import type { SuppressionEventSpec, SuppressionEventType } from "../../core/suppression_event.ts";
import { selectWebhookTargets } from "../../core/union_rule.ts";
import type { IdFactory } from "./ids.ts";
import type { WebhookDirectory } from "./webhook_directory.ts";

/** What changing a suppression list needs. */
export interface SuppressionDeps {
  suppressions: SuppressionStore;
  webhooks: WebhookDirectory;
  ids: IdFactory;
  clock: Clock;
  /** Wakes the delivery workers once an event with deliveries is written. */
  signal: WorkSignal;
}

/** Who or what caused a change: a channel's traffic, or an operator (`null`). */
export type SuppressionCause = Channel | null;

/**
 * Adds an address to its company's list for a channel type (any spelling; stored normalized).
 * An address already listed keeps its first suppression and emits nothing.
 *
 * @returns whether it was added, and the suppression on the list now
 */
export async function suppress(
  deps: SuppressionDeps,
  target: {
    companyId: string;
    channelType: ChannelType;
    address: string;
    reason: SuppressionReason;
    messageId?: string | null;
    cause: SuppressionCause;
  },
): Promise<SuppressionAdded> {
  const now = deps.clock.now();
  const suppression: Suppression = {
    id: deps.ids("suppression"),
    companyId: target.companyId,
    channelType: target.channelType,
    address: suppressionAddress(target.channelType, target.address),
    reason: target.reason,
    messageId: target.messageId ?? null,
    createdAt: new Date(now),
  };
  const event = await eventSpec(deps, "recipient.suppressed", target.companyId, target.cause, now);
  const result = await deps.suppressions.addSuppression(suppression, event);
  if (result.added && event.deliveries.length > 0) deps.signal.notify();
  return result;
}

/**
 * Takes an address off its company's list for a channel type (an opt-in reply).
 *
 * @returns the suppression removed, or null when the address was not listed
 */
export async function unsuppressAddress(
  deps: SuppressionDeps,
  target: { companyId: string; channelType: ChannelType; address: string; cause: SuppressionCause },
): Promise<Suppression | null> {
  const now = deps.clock.now();
  const event = await eventSpec(
    deps,
    "recipient.unsuppressed",
    target.companyId,
    target.cause,
    now,
  );
  const address = suppressionAddress(target.channelType, target.address);
  const removed = await deps.suppressions.removeSuppressionOf(
    target.companyId,
    { channelType: target.channelType, address },
    event,
  );
  if (removed !== null && event.deliveries.length > 0) deps.signal.notify();
  return removed;
}

/**
 * Removes a suppression by id (the admin API: no channel caused it).
 *
 * @returns the suppression removed, or null when the company has none with that id
 */
export async function unsuppressById(
  deps: SuppressionDeps,
  companyId: string,
  id: string,
): Promise<Suppression | null> {
  const now = deps.clock.now();
  const event = await eventSpec(deps, "recipient.unsuppressed", companyId, null, now);
  const removed = await deps.suppressions.removeSuppression(companyId, id, event);
  if (removed !== null && event.deliveries.length > 0) deps.signal.notify();
  return removed;
}

/** Ids, time and union-rule targets of the event a change would cause. */
async function eventSpec(
  deps: SuppressionDeps,
  type: SuppressionEventType,
  companyId: string,
  cause: SuppressionCause,
  now: number,
): Promise<SuppressionEventSpec> {
  const webhooks = await deps.webhooks.forCompany(companyId);
  const targets = selectWebhookTargets({ companyId, channelId: cause?.id ?? null, type }, webhooks);
  return {
    type,
    id: deps.ids("event"),
    createdAt: new Date(now),
    companyId,
    channel:
      cause === null
        ? null
        : {
            id: cause.id,
            companyId: cause.companyId,
            type: cause.type,
            name: cause.name,
            address: cause.address,
          },
    deliveries: targets.map((webhook) => [deps.ids("delivery"), webhook.id] as const),
  };
}
