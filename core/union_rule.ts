/**
 * The union rule of SPEC.md §4: which webhooks an event fans out to.
 *
 * @module
 */
import type { EventType, WebhookIntegration } from "./domain.ts";

/**
 * The part of an event the union rule looks at.
 *
 * @example
 * ```ts
 * const event: FanOutEvent = { companyId: "co_…", channelId: "ch_…", type: "message.sent" };
 * ```
 */
export interface FanOutEvent {
  companyId: string;
  channelId: string;
  type: EventType;
}

/**
 * Where a webhook delivers: its normalized URL and its bearer token. Two webhooks with the same
 * key are one destination. A URL that does not parse is kept as written (its deliveries will
 * fail on their own) rather than breaking the fan-out to every other webhook.
 *
 * @param webhook The webhook.
 * @returns A string equal for webhooks that deliver to the same destination.
 *
 * @example
 * ```ts
 * destinationKey({ url: "https://A.com/x", bearerToken: null }) ===
 *   destinationKey({ url: "https://a.com:443/x", bearerToken: null }); // true
 * ```
 */
export function destinationKey(webhook: Pick<WebhookIntegration, "url" | "bearerToken">): string {
  let url = webhook.url;
  try {
    url = new URL(webhook.url).href;
  } catch {
    // Not a URL: compare it verbatim.
  }
  return JSON.stringify([url, webhook.bearerToken]);
}

function applies(event: FanOutEvent, webhook: WebhookIntegration): boolean {
  if (!webhook.enabled || webhook.companyId !== event.companyId) return false;
  const inScope =
    webhook.scope === "general" ||
    (webhook.scope === "channel" && webhook.channelId === event.channelId);
  return inScope && (webhook.events === null || webhook.events.includes(event.type));
}

// The webhook whose secret signs a shared destination: channel-specific first (SPEC.md §4),
// then the oldest, then the smallest id, so every instance picks the same one.
function precedes(a: WebhookIntegration, b: WebhookIntegration): boolean {
  if (a.scope !== b.scope) return a.scope === "channel";
  const byAge = a.createdAt.getTime() - b.createdAt.getTime();
  if (byAge !== 0) return byAge < 0;
  return a.id < b.id;
}

/**
 * Selects the webhooks an event goes to. Targets are the enabled webhooks of the event's
 * company whose scope is `general` or whose `channelId` is the event's channel, and whose
 * `events` filter (`null` = all) holds the event type. A destination (same URL, same bearer
 * token) receives the event once: when several targets name it, the channel-specific webhook
 * wins, then the oldest, then the smallest id. `integration.test` never fans out: it goes only
 * to the webhook under test.
 *
 * @param event The event's company, channel and type.
 * @param webhooks Candidate webhooks (any company; others are ignored).
 * @returns One webhook per destination, ordered by id.
 *
 * @example
 * ```ts
 * selectWebhookTargets({ companyId: "co_1", channelId: "ch_1", type: "message.sent" }, [
 *   generalHook, // https://example.com/hook
 *   channelHook, // https://EXAMPLE.com/hook, channelId ch_1
 * ]); // [channelHook]
 * ```
 */
export function selectWebhookTargets(
  event: FanOutEvent,
  webhooks: readonly WebhookIntegration[],
): WebhookIntegration[] {
  if (event.type === "integration.test") return [];
  const byDestination = new Map<string, WebhookIntegration>();
  for (const webhook of webhooks) {
    if (!applies(event, webhook)) continue;
    const key = destinationKey(webhook);
    const current = byDestination.get(key);
    if (current === undefined || precedes(webhook, current)) byDestination.set(key, webhook);
  }
  return [...byDestination.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
