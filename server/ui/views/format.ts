/**
 * Small pieces every view shares: dates, badges, channel labels.
 *
 * @module
 */
import type { ChannelType } from "../../../core/domain.ts";
import type { ChannelJson, IntegrationJson } from "../admin_data.ts";
import { html, type SafeHtml } from "../html.ts";

/** How channel types read on the page. */
export const TYPE_LABELS: Record<ChannelType, string> = {
  whatsapp: "WhatsApp",
  email: "Email",
  sms: "SMS",
};

/** A badge's colour, by meaning. */
export type Tone = "ok" | "warn" | "bad" | "muted";

/** A short status label. */
export function badge(tone: Tone, text: string): SafeHtml {
  return html`<span class="badge badge-${tone}">${text}</span>`;
}

/** An ISO date as a `<time>` people read in UTC; a dash when absent. */
export function when(iso: string | null | undefined): SafeHtml {
  if (iso === null || iso === undefined) return html`<span class="muted">—</span>`;
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
  return html`<time datetime="${iso}">${text}</time>`;
}

/** "SMS · Support line (+5511…)". */
export function channelLabel(channel: ChannelJson): string {
  return `${TYPE_LABELS[channel.type]} · ${channel.name} (${channel.address})`;
}

/** Where an integration applies: every channel, or one (possibly deleted) channel. */
export function scopeLabel(
  integration: IntegrationJson,
  channels: Map<string, ChannelJson>,
): string {
  if (integration.kind === "webhook" && integration.scope === "general") {
    return "General (all channels)";
  }
  const channel = integration.channelId === null ? undefined : channels.get(integration.channelId);
  return channel === undefined
    ? `Deleted channel ${integration.channelId ?? ""}`.trim()
    : channelLabel(channel);
}

/**
 * The status badges of an integration: enabled or why not, and the warnings docs/api.md#tokens, docs/api.md#admin-api
 * ask the UI to show (tokens older than 90 days, webhooks the server disabled).
 */
export function statusBadges(integration: IntegrationJson, now: number): SafeHtml {
  const badges: SafeHtml[] = [];
  if (integration.disabledReason === "gone") {
    badges.push(badge("bad", "Disabled: endpoint answered 410 Gone"));
  } else if (integration.disabledReason === "failing") {
    badges.push(badge("bad", "Disabled: failing for 5 days"));
  } else {
    badges.push(integration.enabled ? badge("ok", "Enabled") : badge("muted", "Disabled"));
  }
  if (integration.tokenOld === true) badges.push(badge("warn", "Token older than 90 days"));
  const expires = integration.expiresAt ? Date.parse(integration.expiresAt) : Number.NaN;
  if (expires <= now) badges.push(badge("bad", "Token expired"));
  return html`<span class="badges">${badges}</span>`;
}

/** Kind as people say it. */
export function kindLabel(integration: IntegrationJson): string {
  return integration.kind === "webhook" ? "Webhook" : "Custom token";
}
