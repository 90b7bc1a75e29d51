/**
 * How fast a channel may send (README "Throughput, retries, async and scheduled sends"): its
 * config's `maxPerSecond`, else its provider's default, which follows the provider's own
 * documented limit (Resend 2 requests per second per team, Twilio's 10 messages per second
 * queue-free sending, Meta's 80 messages per second per number); the sandbox is unlimited.
 *
 * @module
 */
import type { ConfigValue, ProviderName } from "./domain.ts";

/** Sends per second by provider when a channel's config sets none; `null` is unlimited. */
export const DEFAULT_MAX_PER_SECOND: Readonly<Record<ProviderName, number | null>> = {
  sandbox: null,
  resend: 2,
  twilio: 10,
  meta: 80,
  smtp: 10,
};

/**
 * The time between two sends of a channel, or `null` when nothing paces it.
 *
 * @param channel the channel's provider and config
 * @returns milliseconds between slots (`1000 / maxPerSecond`), or `null`
 * @example
 * sendIntervalMs({ provider: "resend", config: {} }); // 500
 * sendIntervalMs({ provider: "sandbox", config: { maxPerSecond: 4 } }); // 250
 */
export function sendIntervalMs(channel: {
  provider: ProviderName;
  config: Readonly<Record<string, ConfigValue>>;
}): number | null {
  const configured = Object.hasOwn(channel.config, "maxPerSecond")
    ? channel.config.maxPerSecond
    : undefined;
  const perSecond =
    typeof configured === "number" && configured > 0
      ? configured
      : DEFAULT_MAX_PER_SECOND[channel.provider];
  return perSecond === null ? null : 1000 / perSecond;
}
