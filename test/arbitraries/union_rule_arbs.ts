/**
 * Arbitraries for the union rule: webhook sets that mix companies, channels, scopes, event
 * filters, enabled flags and destinations spelled several ways.
 *
 * @module
 */
import fc from "fast-check";
import type { EventType, WebhookIntegration } from "../../core/domain.ts";
import { EVENT_TYPES } from "../../core/events.ts";
import type { FanOutEvent } from "../../core/union_rule.ts";

export const COMPANY_IDS = ["co_A", "co_B", "co_C"] as const;
export const CHANNEL_IDS = ["ch_1", "ch_2", "ch_3"] as const;

/**
 * URL spellings and the destination each one names, worked out by hand (not by `new URL`), so
 * the reference below does not share the implementation's normalization.
 */
export const URL_DESTINATIONS: Readonly<Record<string, string>> = {
  "https://a.com/x": "a/x",
  "https://A.com/x": "a/x",
  "HTTPS://a.com/x": "a/x",
  "https://a.com:443/x": "a/x",
  "https://a.com/y/../x": "a/x",
  "https://a.com/y": "a/y",
  "http://a.com/x": "http a/x",
  "http://A.COM:80/x": "http a/x",
  "https://a.com/x?q=1": "a/x?q=1",
  "https://b.com/x": "b/x",
  "https://b.com/x/": "b/x/",
  // WHATWG URL keeps percent-escapes as written: %7E is not ~.
  "https://B.com/%7Ex": "b/%7Ex",
  "https://b.com/~x": "b/~x",
  "not a url": "not a url",
};

const eventTypeArb: fc.Arbitrary<EventType> = fc.constantFrom(...EVENT_TYPES);

/** One webhook of any company, scope, filter, state and destination spelling. */
export const webhookArb: fc.Arbitrary<WebhookIntegration> = fc
  .record({
    id: fc.integer({ min: 0, max: 9999 }).map((n) => `int_${String(n).padStart(4, "0")}`),
    companyId: fc.constantFrom(...COMPANY_IDS),
    scope: fc.constantFrom("general" as const, "channel" as const),
    channelId: fc.constantFrom(...CHANNEL_IDS),
    url: fc.constantFrom(...Object.keys(URL_DESTINATIONS)),
    bearerToken: fc.constantFrom(null, "tok-1", "tok-2"),
    events: fc.option(fc.subarray([...EVENT_TYPES]), { nil: null }),
    enabled: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    // Few distinct days, so ties on createdAt happen and the id has to break them.
    createdDay: fc.integer({ min: 1, max: 4 }),
  })
  .map(
    (r): WebhookIntegration => ({
      kind: "webhook",
      failingSince: null,
      id: r.id,
      companyId: r.companyId,
      name: `hook ${r.id}`,
      enabled: r.enabled,
      createdAt: new Date(Date.UTC(2025, 0, r.createdDay)),
      updatedAt: new Date(Date.UTC(2025, 0, r.createdDay)),
      scope: r.scope,
      channelId: r.scope === "channel" ? r.channelId : null,
      url: r.url,
      bearerToken: r.bearerToken,
      events: r.events,
      disabledReason: r.enabled ? null : "failing",
      signingSecrets: [{ secret: `whsec_${r.id}`, createdAt: new Date(0), expiresAt: null }],
    }),
  );

/** A set of webhooks with unique ids, across several companies. */
export const webhookSetArb: fc.Arbitrary<WebhookIntegration[]> = fc.uniqueArray(webhookArb, {
  selector: (webhook) => webhook.id,
  maxLength: 30,
});

/**
 * An event on one of the channels, or on none (a suppression an operator added), for one of
 * the companies.
 */
export const fanOutEventArb: fc.Arbitrary<FanOutEvent> = fc.record({
  companyId: fc.constantFrom(...COMPANY_IDS),
  channelId: fc.constantFrom<string | null>(...CHANNEL_IDS, null),
  type: eventTypeArb,
});
