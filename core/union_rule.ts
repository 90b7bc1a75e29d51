/**
 * The union rule of docs/api.md#webhooks: which webhooks an event fans out to.
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
  /** `null` when no channel caused the event (a suppression added through the admin API). */
  channelId: string | null;
  type: EventType;
}

/**
 * The part of a webhook the union rule looks at: any record with these fields will do, so an
 * embedder's own webhook rows can be passed as they are (and come back with all their fields).
 *
 * @example
 * ```ts
 * const hook: FanOutWebhook = {
 *   id: "wh_1",
 *   companyId: "co_1",
 *   enabled: true,
 *   scope: "channel",
 *   channelId: "ch_1",
 *   events: ["message.delivered", "message.failed"],
 *   url: "https://example.com/hooks/sendeasy",
 *   bearerToken: null,
 *   createdAt: new Date("2025-01-01T00:00:00Z"),
 * };
 * ```
 */
export type FanOutWebhook = Pick<
  WebhookIntegration,
  | "id"
  | "companyId"
  | "enabled"
  | "scope"
  | "channelId"
  | "events"
  | "url"
  | "bearerToken"
  | "createdAt"
>;

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

function applies(event: FanOutEvent, webhook: FanOutWebhook): boolean {
  if (!webhook.enabled || webhook.companyId !== event.companyId) return false;
  const inScope =
    webhook.scope === "general" ||
    (webhook.scope === "channel" && webhook.channelId === event.channelId);
  return inScope && (webhook.events === null || webhook.events.includes(event.type));
}

// The webhook whose secret signs a shared destination: channel-specific first (docs/api.md#webhooks),
// then the oldest, then the smallest id, so every instance picks the same one.
function precedes(a: FanOutWebhook, b: FanOutWebhook): boolean {
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
 * const common = { companyId: "co_1", enabled: true, events: null, bearerToken: null };
 * const createdAt = new Date("2025-01-01T00:00:00Z");
 * const hooks: FanOutWebhook[] = [
 *   { ...common, id: "wh_1", scope: "general", channelId: null, url: "https://example.com/hook", createdAt },
 *   { ...common, id: "wh_2", scope: "channel", channelId: "ch_1", url: "https://EXAMPLE.com/hook", createdAt },
 *   { ...common, id: "wh_3", scope: "channel", channelId: "ch_2", url: "https://example.com/other", createdAt },
 * ];
 * // wh_1 and wh_2 are one destination, and the channel's webhook wins; wh_3 is another channel's.
 * selectWebhookTargets({ companyId: "co_1", channelId: "ch_1", type: "message.sent" }, hooks)
 *   .map((webhook) => webhook.id); // ["wh_2"]
 * ```
 */
export function selectWebhookTargets<Webhook extends FanOutWebhook>(
  event: FanOutEvent,
  webhooks: readonly Webhook[],
): Webhook[] {
  if (event.type === "integration.test") return [];
  const byDestination = new Map<string, Webhook>();
  for (const webhook of webhooks) {
    if (!applies(event, webhook)) continue;
    const key = destinationKey(webhook);
    const current = byDestination.get(key);
    if (current === undefined || precedes(webhook, current)) byDestination.set(key, webhook);
  }
  return [...byDestination.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
