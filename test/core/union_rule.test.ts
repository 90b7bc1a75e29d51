import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type { WebhookIntegration } from "../../core/domain.ts";
import { destinationKey, type FanOutEvent, selectWebhookTargets } from "../../core/union_rule.ts";
import {
  COMPANY_IDS,
  fanOutEventArb,
  URL_DESTINATIONS,
  webhookArb,
  webhookSetArb,
} from "../arbitraries/union_rule_arbs.ts";

const RUNS = { numRuns: 1000 };

/** The destination of a webhook by the hand-written table, not by `new URL`. */
function destination(webhook: WebhookIntegration): string {
  const url = URL_DESTINATIONS[webhook.url];
  if (url === undefined) throw new Error(`no destination written down for ${webhook.url}`);
  return `${url} | ${webhook.bearerToken ?? "(no token)"}`;
}

function applies(event: FanOutEvent, webhook: WebhookIntegration): boolean {
  return (
    webhook.enabled &&
    webhook.companyId === event.companyId &&
    (webhook.scope === "general" || webhook.channelId === event.channelId) &&
    (webhook.events === null || webhook.events.includes(event.type))
  );
}

/**
 * docs/api.md#webhooks read as set definitions: the applicable webhooks, then per destination the
 * channel-specific ones if any, of those the oldest, of those the smallest id.
 */
function reference(event: FanOutEvent, webhooks: readonly WebhookIntegration[]): string[] {
  if (event.type === "integration.test") return [];
  const applicable = webhooks.filter((webhook) => applies(event, webhook));
  const chosen: string[] = [];
  for (const dest of new Set(applicable.map(destination))) {
    const same = applicable.filter((webhook) => destination(webhook) === dest);
    const specific = same.filter((webhook) => webhook.scope === "channel");
    const pool = specific.length > 0 ? specific : same;
    const oldest = Math.min(...pool.map((webhook) => webhook.createdAt.getTime()));
    const ids = pool.filter((webhook) => webhook.createdAt.getTime() === oldest).map((w) => w.id);
    chosen.push(ids.sort()[0]!);
  }
  return chosen.sort();
}

const ids = (webhooks: readonly WebhookIntegration[]): string[] => webhooks.map((w) => w.id);

function hook(overrides: Partial<WebhookIntegration> & { id: string }): WebhookIntegration {
  return {
    kind: "webhook",
    failingSince: null,
    companyId: "co_A",
    name: overrides.id,
    enabled: true,
    createdAt: new Date(Date.UTC(2025, 0, 1)),
    updatedAt: new Date(Date.UTC(2025, 0, 1)),
    scope: "general",
    channelId: null,
    url: "https://example.com/hook",
    bearerToken: null,
    events: null,
    disabledReason: null,
    signingSecrets: [],
    ...overrides,
  };
}

const sent: FanOutEvent = { companyId: "co_A", channelId: "ch_1", type: "message.sent" };

describe("selectWebhookTargets()", () => {
  test("fires the union of the general webhook and the channel's webhooks (seed example)", () => {
    const general = hook({ id: "int_1", url: "https://crm.example/all" });
    const mine = hook({
      id: "int_2",
      scope: "channel",
      channelId: "ch_1",
      url: "https://a.example",
    });
    const other = hook({
      id: "int_3",
      scope: "channel",
      channelId: "ch_2",
      url: "https://b.example",
    });
    expect(ids(selectWebhookTargets(sent, [other, mine, general]))).toEqual(["int_1", "int_2"]);
  });

  test("a shared destination gets the event once, from the channel-specific webhook", () => {
    const general = hook({ id: "int_1", url: "https://Example.com/hook" });
    const specific = hook({ id: "int_2", scope: "channel", channelId: "ch_1" });
    expect(ids(selectWebhookTargets(sent, [general, specific]))).toEqual(["int_2"]);
  });

  test("the same URL with another bearer token is another destination", () => {
    const a = hook({ id: "int_1", bearerToken: "one" });
    const b = hook({ id: "int_2", bearerToken: "two" });
    const c = hook({ id: "int_3" });
    expect(ids(selectWebhookTargets(sent, [a, b, c]))).toEqual(["int_1", "int_2", "int_3"]);
  });

  test("between equals the oldest wins, then the smallest id", () => {
    const older = hook({ id: "int_9", createdAt: new Date(Date.UTC(2024, 0, 1)) });
    const newer = hook({ id: "int_1" });
    const twin = hook({ id: "int_0" });
    expect(ids(selectWebhookTargets(sent, [newer, older]))).toEqual(["int_9"]);
    expect(ids(selectWebhookTargets(sent, [newer, twin]))).toEqual(["int_0"]);
  });

  test("integration.test never fans out", () => {
    const every = [
      hook({ id: "int_1" }),
      hook({ id: "int_2", scope: "channel", channelId: "ch_1" }),
    ];
    expect(selectWebhookTargets({ ...sent, type: "integration.test" }, every)).toEqual([]);
  });

  test("a URL that does not parse stays its own destination instead of throwing", () => {
    const broken = hook({ id: "int_1", url: "::not a url::" });
    const fine = hook({ id: "int_2" });
    expect(ids(selectWebhookTargets(sent, [broken, fine]))).toEqual(["int_1", "int_2"]);
  });

  test("equals the set-definition reference", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, (event, webhooks) => {
        expect(ids(selectWebhookTargets(event, webhooks))).toEqual(reference(event, webhooks));
      }),
      RUNS,
    );
  });

  test("never names a destination twice", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, (event, webhooks) => {
        const targets = selectWebhookTargets(event, webhooks).map(destination);
        expect(new Set(targets).size).toBe(targets.length);
      }),
      RUNS,
    );
  });

  test("reaches every destination some applicable webhook names", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, (event, webhooks) => {
        fc.pre(event.type !== "integration.test");
        const wanted = new Set(webhooks.filter((w) => applies(event, w)).map(destination));
        const reached = new Set(selectWebhookTargets(event, webhooks).map(destination));
        expect(reached).toEqual(wanted);
      }),
      RUNS,
    );
  });

  test("never crosses companies, never picks a disabled webhook, and honours event filters", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, (event, webhooks) => {
        for (const target of selectWebhookTargets(event, webhooks)) {
          expect(target.companyId).toBe(event.companyId);
          expect(target.enabled).toBe(true);
          expect(target.events === null || target.events.includes(event.type)).toBe(true);
          expect(target.scope === "general" || target.channelId === event.channelId).toBe(true);
        }
      }),
      RUNS,
    );
  });

  test("the channel-specific webhook wins a destination it shares with a general one", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, (event, webhooks) => {
        const targets = selectWebhookTargets(event, webhooks);
        for (const target of targets) {
          const rivals = webhooks.filter(
            (w) => applies(event, w) && destination(w) === destination(target),
          );
          if (rivals.some((w) => w.scope === "channel")) expect(target.scope).toBe("channel");
        }
      }),
      RUNS,
    );
  });

  test("adding a webhook of another company never changes the result", () => {
    fc.assert(
      fc.property(fanOutEventArb, webhookSetArb, webhookArb, (event, webhooks, extra) => {
        const others = COMPANY_IDS.filter((id) => id !== event.companyId);
        const stranger = { ...extra, id: "int_stranger", companyId: others[0]! };
        const before = selectWebhookTargets(event, webhooks);
        expect(selectWebhookTargets(event, [...webhooks, stranger])).toEqual(before);
        expect(selectWebhookTargets(event, [stranger, ...webhooks])).toEqual(before);
      }),
      RUNS,
    );
  });

  test("does not depend on the order of its input and answers in id order", () => {
    fc.assert(
      fc.property(
        fanOutEventArb,
        webhookSetArb.chain((set) =>
          fc.tuple(fc.constant(set), fc.shuffledSubarray(set, { minLength: set.length })),
        ),
        (event, [webhooks, shuffled]) => {
          const result = ids(selectWebhookTargets(event, webhooks));
          expect(ids(selectWebhookTargets(event, shuffled))).toEqual(result);
          expect(result).toEqual([...result].sort());
        },
      ),
      RUNS,
    );
  });
});

describe("destinationKey()", () => {
  test("equal for spellings of one URL with the same token", () => {
    const a = destinationKey({ url: "https://A.com/x", bearerToken: null });
    expect(destinationKey({ url: "https://a.com:443/x", bearerToken: null })).toBe(a);
    expect(destinationKey({ url: "https://a.com/x", bearerToken: "t" })).not.toBe(a);
    expect(destinationKey({ url: "https://a.com/x/", bearerToken: null })).not.toBe(a);
  });

  test("agrees with the hand-written destination table", () => {
    const urls = Object.keys(URL_DESTINATIONS);
    for (const u of urls) {
      for (const v of urls) {
        const same = URL_DESTINATIONS[u] === URL_DESTINATIONS[v];
        const keysEqual =
          destinationKey({ url: u, bearerToken: null }) ===
          destinationKey({ url: v, bearerToken: null });
        expect(`${u} ~ ${v}: ${keysEqual}`).toBe(`${u} ~ ${v}: ${same}`);
      }
    }
  });
});

describe("selectWebhookTargets() on an embedder's own records", () => {
  test("takes any records with the fields the rule reads and returns them whole", () => {
    const common = { companyId: "co_1", enabled: true, events: null, bearerToken: null };
    const createdAt = new Date("2025-01-01T00:00:00Z");
    const hooks = [
      {
        ...common,
        id: "wh_1",
        scope: "general" as const,
        channelId: null,
        url: "https://a.test/h",
        createdAt,
        secret: "s1",
      },
      {
        ...common,
        id: "wh_2",
        scope: "channel" as const,
        channelId: "ch_1",
        url: "https://A.test/h",
        createdAt,
        secret: "s2",
      },
    ];
    const targets = selectWebhookTargets(
      { companyId: "co_1", channelId: "ch_1", type: "message.sent" },
      hooks,
    );
    expect(targets).toEqual([hooks[1]!]);
    expect(targets[0]?.secret).toBe("s2");
  });
});
