/**
 * The one contract every storage adapter passes (docs/architecture.md#the-hexagon): it drives the ports only,
 * so the SQLite adapter today and a Postgres adapter later run the very same checks.
 *
 * @module
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type {
  Channel,
  Company,
  CustomIntegration,
  Delivery,
  EventType,
  Message,
  MessageStatus,
  StoredEvent,
  TokenRecord,
  WebhookIntegration,
} from "../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../core/message_event.ts";
import type { OutboxEvent } from "../../core/ports/message_store.ts";
import type { StorePorts } from "../../core/ports/store_ports.ts";
import { expectRejection } from "../support/rejection.ts";

export type { StorePorts } from "../../core/ports/store_ports.ts";

/**
 * Reads the ports cannot do (yet): the outbox rows. Implementations must read through a
 * connection of their own, so that only committed rows are seen.
 */
export interface StoreInspector {
  count(table: "messages" | "events" | "deliveries"): Promise<number>;
  eventsOf(messageId: string): Promise<StoredEvent[]>;
  deliveriesOf(eventId: string): Promise<Delivery[]>;
}

/** What a contract run needs from an adapter: a fresh, empty store per test. */
export interface StoreHarness {
  store: StorePorts;
  inspect: StoreInspector;
  cleanup(): Promise<void>;
}

const T0 = Date.UTC(2025, 0, 1);
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const DAY = 86_400_000;

let seq = 0;
/** Ids sortable by creation order, like the prefixed ULIDs of production. */
const nextId = (prefix: string): string => `${prefix}_${String(++seq).padStart(20, "0")}`;
const hashOf = (n: number): string => n.toString(16).padStart(64, "0");

function company(name = "Acme"): Company {
  return { id: nextId("co"), name, createdAt: at(seq) };
}

function channel(companyId: string, overrides: Partial<Channel> = {}): Channel {
  return {
    id: nextId("ch"),
    companyId,
    type: "sms",
    provider: "twilio",
    name: "Support line",
    address: "+15550001111",
    config: { accountSid: "AC123", authToken: "twilio-auth-token" },
    credits: null,
    createdAt: at(seq),
    deletedAt: null,
    ...overrides,
  };
}

function webhook(
  companyId: string,
  overrides: Partial<WebhookIntegration> = {},
): WebhookIntegration {
  return {
    id: nextId("int"),
    companyId,
    name: "CRM",
    enabled: true,
    createdAt: at(seq),
    updatedAt: at(seq),
    kind: "webhook",
    scope: "general",
    channelId: null,
    url: "https://crm.example.com/hooks",
    bearerToken: "crm-bearer",
    events: ["message.sent", "message.delivered"],
    disabledReason: null,
    signingSecrets: [{ secret: "whsec_first", createdAt: at(seq), expiresAt: null }],
    failingSince: null,
    ...overrides,
  };
}

function custom(
  companyId: string,
  channelId: string,
  overrides: Partial<CustomIntegration> = {},
): { integration: CustomIntegration; token: TokenRecord } {
  const integration: CustomIntegration = {
    id: nextId("int"),
    companyId,
    name: "Shop backend",
    enabled: true,
    createdAt: at(seq),
    updatedAt: at(seq),
    kind: "custom",
    channelId,
    tokenPrefix: "Ab3dEf6h",
    tokenCreatedAt: at(seq),
    rotatedAt: null,
    lastUsedAt: null,
    expiresAt: null,
    rateLimit: null,
    ...overrides,
  };
  const token: TokenRecord = {
    hash: hashOf(++seq),
    integrationId: integration.id,
    status: "active",
    createdAt: integration.tokenCreatedAt,
    expiresAt: integration.expiresAt,
  };
  return { integration, token };
}

function message(ch: Channel, overrides: Partial<Message> = {}): Message {
  const created = at(seq);
  return {
    id: nextId("msg"),
    companyId: ch.companyId,
    channelId: ch.id,
    channelType: ch.type,
    direction: "outbound",
    integrationId: null,
    status: "sent",
    provider: ch.provider,
    providerMessageId: `SM${seq}`,
    to: ["+15550002222"],
    from: ch.address,
    payload: { to: "+15550002222", body: "Hello ✉️", metadata: { order: 42 } },
    segments: 1,
    credits: 1,
    error: null,
    history: [
      { status: "queued", at: created },
      { status: "sent", at: created },
    ],
    createdAt: created,
    updatedAt: created,
    ...overrides,
  };
}

function outbox(msg: Message, webhookIds: string[], type: EventType = "message.sent"): OutboxEvent {
  const id = nextId("evt");
  const event: StoredEvent = {
    id,
    companyId: msg.companyId,
    channelId: msg.channelId,
    type,
    messageId: msg.id,
    payload: JSON.stringify({ id, type, data: { message: { id: msg.id } } }),
    createdAt: at(seq),
  };
  return { event, deliveries: webhookIds.map((w) => [nextId("dlv"), w] as const) };
}

/** The event spec of a status change on `ch`, going to `webhookIds`. */
function eventSpec(ch: Channel, webhookIds: string[], type: EventType): MessageEventSpec {
  return {
    type,
    id: nextId("evt"),
    createdAt: at(seq),
    channel: {
      id: ch.id,
      companyId: ch.companyId,
      type: ch.type,
      name: ch.name,
      address: ch.address,
    },
    deliveries: webhookIds.map((w) => [nextId("dlv"), w] as const),
  };
}

/** Waits a few loop turns for a fire-and-forget write, without sleeping on a clock. */
async function eventually(check: () => Promise<boolean>): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return false;
}

/**
 * Registers the store contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runStoreContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`${name} store contract`, () => {
    let harness: StoreHarness;
    let s: StorePorts;
    let inspect: StoreInspector;
    beforeEach(async () => {
      harness = await makeStore();
      s = harness.store;
      inspect = harness.inspect;
    });
    afterEach(() => harness.cleanup());

    /** A company with one channel, a general webhook and a custom integration on it. */
    async function seed(
      channelOverrides: Partial<Channel> = {},
    ): Promise<{ co: Company; ch: Channel; hook: WebhookIntegration; app: CustomIntegration }> {
      const co = company();
      await s.companies.createCompany(co);
      const ch = channel(co.id, channelOverrides);
      await s.channels.createChannel(ch);
      const hook = webhook(co.id);
      await s.integrations.createWebhook(hook);
      const { integration, token } = custom(co.id, ch.id);
      await s.integrations.createCustom(integration, token);
      return { co, ch, hook, app: integration };
    }

    describe("companies", () => {
      test("createCompany() then getCompany() returns it; an unknown id gives null", async () => {
        const co = company();
        await s.companies.createCompany(co);
        expect(await s.companies.getCompany(co.id)).toEqual(co);
        expect(await s.companies.getCompany("co_unknown")).toBeNull();
      });

      test("listCompanies() pages newest first with cursors", async () => {
        const all = [company("a"), company("b"), company("c"), company("d"), company("e")];
        for (const co of all) await s.companies.createCompany(co);
        const newest = [...all].reverse();
        const first = await s.companies.listCompanies({ limit: 2 });
        expect(first.data).toEqual(newest.slice(0, 2));
        expect(first.nextCursor).toBe(newest[1]!.id);
        const second = await s.companies.listCompanies({ limit: 2, cursor: first.nextCursor! });
        expect(second.data).toEqual(newest.slice(2, 4));
        const third = await s.companies.listCompanies({ limit: 2, cursor: second.nextCursor! });
        expect(third).toEqual({ data: newest.slice(4), nextCursor: null });
        expect(await s.companies.listCompanies({ limit: 5 })).toEqual({
          data: newest,
          nextCursor: null,
        });
      });

      test("getDefaultCompany() is the oldest company, null before any exists", async () => {
        expect(await s.companies.getDefaultCompany()).toBeNull();
        const first = company("first");
        const second = company("second");
        await s.companies.createCompany(first);
        await s.companies.createCompany(second);
        expect(await s.companies.getDefaultCompany()).toEqual(first);
      });

      test("admin keys are found by hash; hasOperatorKey() only counts the operator's", async () => {
        const co = company();
        await s.companies.createCompany(co);
        const companyKey = {
          id: nextId("key"),
          companyId: co.id,
          hash: hashOf(1),
          createdAt: at(1),
          revokedAt: null,
        };
        await s.companies.createAdminKey(companyKey);
        expect(await s.companies.hasOperatorKey()).toBe(false);
        const operatorKey = {
          id: nextId("key"),
          companyId: null,
          hash: hashOf(2),
          createdAt: at(2),
          revokedAt: null,
        };
        await s.companies.createAdminKey(operatorKey);
        expect(await s.companies.hasOperatorKey()).toBe(true);
        expect(await s.companies.findAdminKeyByHash(hashOf(1))).toEqual(companyKey);
        expect(await s.companies.findAdminKeyByHash(hashOf(2))).toEqual(operatorKey);
        expect(await s.companies.findAdminKeyByHash(hashOf(3))).toBeNull();
      });
    });

    describe("channels", () => {
      test("createChannel() then getChannel() returns it with its config decrypted", async () => {
        const { ch } = await seed({ credits: 10 });
        expect(await s.channels.getChannel(ch.companyId, ch.id)).toEqual(ch);
      });

      test("another company's channel id gives null and cannot be changed", async () => {
        const { ch } = await seed();
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await s.channels.getChannel(other.id, ch.id)).toBeNull();
        expect(await s.channels.updateChannel(other.id, ch.id, { name: "x" })).toBeNull();
        expect(await s.channels.softDeleteChannel(other.id, ch.id, at(9))).toBe(false);
        expect((await s.channels.listChannels(other.id, { limit: 10 })).data).toEqual([]);
        expect((await s.channels.getChannel(ch.companyId, ch.id))?.name).toBe(ch.name);
      });

      test("findChannelById() finds a channel in any company, soft-deleted too; unknown is null", async () => {
        const { ch } = await seed({ credits: 3 });
        const other = company("Other");
        await s.companies.createCompany(other);
        const theirs = channel(other.id, { name: "theirs" });
        await s.channels.createChannel(theirs);
        expect(await s.channels.findChannelById(ch.id)).toEqual(ch);
        expect(await s.channels.findChannelById(theirs.id)).toEqual(theirs);
        expect(await s.channels.softDeleteChannel(other.id, theirs.id, at(9))).toBe(true);
        expect((await s.channels.findChannelById(theirs.id))?.deletedAt).toEqual(at(9));
        expect(await s.channels.findChannelById("ch_unknown")).toBeNull();
      });

      test("listChannels() pages newest first and leaves out soft-deleted channels", async () => {
        const co = company();
        await s.companies.createCompany(co);
        const made = [1, 2, 3, 4].map((n) => channel(co.id, { name: `ch${n}` }));
        for (const ch of made) await s.channels.createChannel(ch);
        expect(await s.channels.softDeleteChannel(co.id, made[2]!.id, at(50))).toBe(true);
        const first = await s.channels.listChannels(co.id, { limit: 2 });
        expect(first.data.map((c) => c.name)).toEqual(["ch4", "ch2"]);
        const rest = await s.channels.listChannels(co.id, { limit: 2, cursor: first.nextCursor! });
        expect(rest).toEqual({ data: [made[0]!], nextCursor: null });
      });

      test("softDeleteChannel() keeps the row readable with deletedAt; a second delete is false", async () => {
        const { ch } = await seed({ credits: 5 });
        expect(await s.channels.softDeleteChannel(ch.companyId, ch.id, at(100))).toBe(true);
        expect(await s.channels.getChannel(ch.companyId, ch.id)).toEqual({
          ...ch,
          deletedAt: at(100),
        });
        expect(await s.channels.softDeleteChannel(ch.companyId, ch.id, at(101))).toBe(false);
        expect(await s.channels.updateChannel(ch.companyId, ch.id, { name: "x" })).toBeNull();
        expect(await s.channels.takeCredits(ch.id, 1)).toEqual({
          ok: false,
          code: "CHANNEL_NOT_FOUND",
        });
      });

      test("updateChannel() changes the given fields only", async () => {
        const { ch } = await seed({ credits: 3 });
        const updated = await s.channels.updateChannel(ch.companyId, ch.id, {
          name: "Renamed",
          config: { accountSid: "AC999", authToken: "rotated-auth-token" },
        });
        const expected = {
          ...ch,
          name: "Renamed",
          config: { accountSid: "AC999", authToken: "rotated-auth-token" },
        };
        expect(updated).toEqual(expected);
        expect(await s.channels.getChannel(ch.companyId, ch.id)).toEqual(expected);
        const unlimited = await s.channels.updateChannel(ch.companyId, ch.id, { credits: null });
        expect(unlimited).toEqual({ ...expected, credits: null });
        expect(await s.channels.updateChannel(ch.companyId, ch.id, {})).toEqual({
          ...expected,
          credits: null,
        });
      });

      test("takeCredits() takes, refuses when short, and leaves unlimited channels unlimited", async () => {
        const { co, ch } = await seed({ credits: 5 });
        const unlimited = channel(co.id, { credits: null });
        await s.channels.createChannel(unlimited);
        expect(await s.channels.takeCredits(ch.id, 3)).toEqual({ ok: true, remaining: 2 });
        expect(await s.channels.takeCredits(ch.id, 3)).toEqual({
          ok: false,
          code: "NO_CREDITS",
          balance: 2,
        });
        expect(await s.channels.takeCredits(ch.id, 2)).toEqual({ ok: true, remaining: 0 });
        expect(await s.channels.takeCredits(unlimited.id, 1000)).toEqual({
          ok: true,
          remaining: null,
        });
        expect(await s.channels.takeCredits("ch_unknown", 1)).toEqual({
          ok: false,
          code: "CHANNEL_NOT_FOUND",
        });
        await s.channels.refundCredits(ch.id, 4);
        await s.channels.refundCredits(unlimited.id, 4);
        expect((await s.channels.getChannel(co.id, ch.id))?.credits).toBe(4);
        expect((await s.channels.getChannel(co.id, unlimited.id))?.credits).toBeNull();
      });

      test("200 concurrent takes never go below zero and exactly the affordable ones succeed", async () => {
        const { ch } = await seed({ credits: 150 });
        const takes = await Promise.all(
          Array.from({ length: 200 }, () => s.channels.takeCredits(ch.id, 1)),
        );
        const ok = takes.filter((t) => t.ok);
        expect(ok.length).toBe(150);
        expect(takes.filter((t) => !t.ok)).toEqual(
          Array(50).fill({ ok: false, code: "NO_CREDITS", balance: 0 }),
        );
        const remaining = ok.map((t) => (t.ok ? t.remaining : -1)).sort((a, b) => a! - b!);
        expect(remaining).toEqual(Array.from({ length: 150 }, (_, i) => i));
        expect((await s.channels.getChannel(ch.companyId, ch.id))?.credits).toBe(0);

        const { ch: other } = await seed({ credits: 100 });
        const bigger = await Promise.all(
          Array.from({ length: 200 }, () => s.channels.takeCredits(other.id, 3)),
        );
        expect(bigger.filter((t) => t.ok).length).toBe(33);
        expect((await s.channels.getChannel(other.companyId, other.id))?.credits).toBe(1);
      });
    });

    describe("integrations", () => {
      test("createWebhook() then getIntegration() returns it, secrets decrypted", async () => {
        const { co, ch } = await seed();
        const hook = webhook(co.id, {
          scope: "channel",
          channelId: ch.id,
          bearerToken: null,
          events: null,
          enabled: false,
          disabledReason: "gone",
        });
        await s.integrations.createWebhook(hook);
        expect(await s.integrations.getIntegration(co.id, hook.id)).toEqual(hook);
      });

      test("createCustom() stores the integration and its token for findTokenByHash()", async () => {
        const { co, ch } = await seed();
        const { integration, token } = custom(co.id, ch.id, {
          expiresAt: at(9999),
          rateLimit: { perSecond: 5, burst: 10 },
        });
        await s.integrations.createCustom(integration, { ...token, expiresAt: at(9999) });
        expect(await s.integrations.getIntegration(co.id, integration.id)).toEqual(integration);
        expect(await s.tokens.findTokenByHash(token.hash)).toEqual({
          token: { ...token, expiresAt: at(9999) },
          integration,
          company: co,
          channel: ch,
        });
        expect(await s.tokens.findTokenByHash(hashOf(123_456_789))).toBeNull();
      });

      test("findTokenByHash() still finds a token whose channel was soft-deleted", async () => {
        const { co, ch, app } = await seed();
        await s.channels.softDeleteChannel(co.id, ch.id, at(500));
        const [hash] = (await s.integrations.revokeTokens(co.id, app.id, at(501)))!.invalidated;
        const match = await s.tokens.findTokenByHash(hash!);
        expect(match?.channel?.deletedAt).toEqual(at(500));
        expect(match?.token.status).toBe("revoked");
      });

      test("listIntegrations() pages newest first within the company; listWebhooks() lists webhooks", async () => {
        const { co, ch, hook, app } = await seed();
        const disabled = webhook(co.id, { enabled: false, disabledReason: "failing" });
        await s.integrations.createWebhook(disabled);
        const other = company("Other");
        await s.companies.createCompany(other);
        await s.integrations.createWebhook(webhook(other.id));
        const first = await s.integrations.listIntegrations(co.id, { limit: 2 });
        expect(first.data).toEqual([disabled, app]);
        const rest = await s.integrations.listIntegrations(co.id, {
          limit: 2,
          cursor: first.nextCursor!,
        });
        expect(rest).toEqual({ data: [hook], nextCursor: null });
        const hooks = await s.integrations.listWebhooks(co.id);
        expect(hooks.sort((a, b) => a.id.localeCompare(b.id))).toEqual([hook, disabled]);
        expect(await s.integrations.getIntegration(other.id, hook.id)).toBeNull();
        expect(await s.integrations.getIntegration(co.id, ch.id)).toBeNull();
      });

      test("updateIntegration() patches a webhook; enabling clears the server's reason", async () => {
        const { co } = await seed();
        const hook = webhook(co.id, { enabled: false, disabledReason: "gone" });
        await s.integrations.createWebhook(hook);
        const updated = await s.integrations.updateIntegration(
          co.id,
          hook.id,
          {
            enabled: true,
            url: "https://new.example.com",
            bearerToken: "new-bearer",
            events: null,
          },
          at(700),
        );
        const expected: WebhookIntegration = {
          ...hook,
          enabled: true,
          disabledReason: null,
          url: "https://new.example.com",
          bearerToken: "new-bearer",
          events: null,
          updatedAt: at(700),
        };
        expect(updated).toEqual(expected);
        expect(await s.integrations.getIntegration(co.id, hook.id)).toEqual(expected);
        const off = await s.integrations.updateIntegration(
          co.id,
          hook.id,
          { enabled: false, disabledReason: "failing", bearerToken: null },
          at(701),
        );
        expect(off).toEqual({
          ...expected,
          enabled: false,
          disabledReason: "failing",
          bearerToken: null,
          updatedAt: at(701),
        });
      });

      test("failingSince round-trips; re-enabling a disabled webhook clears it", async () => {
        const { co } = await seed();
        const failing = webhook(co.id, { failingSince: at(10) });
        await s.integrations.createWebhook(failing);
        expect(await s.integrations.getIntegration(co.id, failing.id)).toEqual(failing);
        // A live webhook keeps its failing run, even when a patch repeats `enabled: true`.
        const renamed = await s.integrations.updateIntegration(
          co.id,
          failing.id,
          { enabled: true, name: "Renamed" },
          at(11),
        );
        expect(renamed).toEqual({ ...failing, name: "Renamed", updatedAt: at(11) });
        await s.integrations.updateIntegration(
          co.id,
          failing.id,
          { enabled: false, disabledReason: "failing" },
          at(12),
        );
        // Re-enabled, it starts afresh: the old run would turn it off at its next failure.
        const back = await s.integrations.updateIntegration(
          co.id,
          failing.id,
          { enabled: true },
          at(13),
        );
        expect(back).toEqual({
          ...failing,
          name: "Renamed",
          disabledReason: null,
          failingSince: null,
          updatedAt: at(13),
        });
      });

      test("updateIntegration() patches a custom integration and its token's expiry", async () => {
        const { co, app } = await seed();
        const updated = await s.integrations.updateIntegration(
          co.id,
          app.id,
          { name: "Renamed", expiresAt: at(5000), rateLimit: { perSecond: 1, burst: 2 } },
          at(800),
        );
        expect(updated).toEqual({
          ...app,
          name: "Renamed",
          expiresAt: at(5000),
          rateLimit: { perSecond: 1, burst: 2 },
          updatedAt: at(800),
        });
        const [hash] = (await s.integrations.revokeTokens(co.id, app.id, at(801)))!.invalidated;
        expect((await s.tokens.findTokenByHash(hash!))?.token.expiresAt).toEqual(at(5000));
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(
          await s.integrations.updateIntegration(other.id, app.id, { name: "x" }, at(802)),
        ).toBeNull();
      });

      test("deleteIntegration() hides it and revokes its tokens; again it is false", async () => {
        const { co, ch } = await seed();
        const { integration, token } = custom(co.id, ch.id);
        await s.integrations.createCustom(integration, token);
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await s.integrations.deleteIntegration(other.id, integration.id)).toBe(false);
        expect(await s.integrations.deleteIntegration(co.id, integration.id)).toBe(true);
        expect(await s.integrations.getIntegration(co.id, integration.id)).toBeNull();
        const listed = await s.integrations.listIntegrations(co.id, { limit: 10 });
        expect(listed.data.map((i) => i.id)).not.toContain(integration.id);
        expect((await s.tokens.findTokenByHash(token.hash))?.token.status).toBe("revoked");
        expect(await s.integrations.deleteIntegration(co.id, integration.id)).toBe(false);
        expect(await s.integrations.rotateToken(co.id, integration.id, token, opts(1))).toBeNull();
      });

      const opts = (n: number) => ({ prefix: `Pfx${n}`, at: at(1000 + n) });

      test("rotateToken() marks the old hash rotated and the new one active", async () => {
        const { co, ch } = await seed();
        const { integration, token } = custom(co.id, ch.id);
        await s.integrations.createCustom(integration, token);
        const next = { ...token, hash: hashOf(++seq), createdAt: at(1001) };
        expect(await s.integrations.rotateToken(co.id, integration.id, next, opts(1))).toEqual({
          invalidated: [token.hash],
        });
        expect((await s.tokens.findTokenByHash(token.hash))?.token.status).toBe("rotated");
        const fresh = await s.tokens.findTokenByHash(next.hash);
        expect(fresh?.token).toEqual(next);
        expect(fresh?.integration).toEqual({
          ...integration,
          tokenPrefix: "Pfx1",
          tokenCreatedAt: at(1001),
          rotatedAt: at(1001),
          updatedAt: at(1001),
        });
        const third = { ...token, hash: hashOf(++seq), createdAt: at(1002) };
        expect(await s.integrations.rotateToken(co.id, integration.id, third, opts(2))).toEqual({
          invalidated: [next.hash],
        });
        expect((await s.tokens.findTokenByHash(next.hash))?.token.status).toBe("rotated");
        expect((await s.tokens.findTokenByHash(third.hash))?.token.status).toBe("active");
      });

      test("rotateToken() is null for another company's id, a webhook, or an unknown id", async () => {
        const { co, hook, app } = await seed();
        const other = company("Other");
        await s.companies.createCompany(other);
        const next = (id: string) => ({
          hash: hashOf(++seq),
          integrationId: id,
          status: "active" as const,
          createdAt: at(1),
          expiresAt: null,
        });
        expect(
          await s.integrations.rotateToken(other.id, app.id, next(app.id), opts(1)),
        ).toBeNull();
        expect(await s.integrations.rotateToken(co.id, hook.id, next(hook.id), opts(2))).toBeNull();
        expect(await s.integrations.rotateToken(co.id, "int_x", next("int_x"), opts(3))).toBeNull();
      });

      test("revokeTokens() revokes every token and returns their hashes", async () => {
        const { co, ch } = await seed();
        const { integration, token } = custom(co.id, ch.id);
        await s.integrations.createCustom(integration, token);
        const next = { ...token, hash: hashOf(++seq) };
        await s.integrations.rotateToken(co.id, integration.id, next, opts(1));
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await s.integrations.revokeTokens(other.id, integration.id, at(2000))).toBeNull();
        const revoked = await s.integrations.revokeTokens(co.id, integration.id, at(2000));
        expect(revoked?.invalidated.sort()).toEqual([token.hash, next.hash].sort());
        for (const hash of [token.hash, next.hash]) {
          expect((await s.tokens.findTokenByHash(hash))?.token.status).toBe("revoked");
        }
        expect(await s.integrations.revokeTokens(co.id, integration.id, at(2001))).toEqual({
          invalidated: [],
        });
      });

      test("rotateSigningSecret() puts the new secret first and keeps the old one until its expiry", async () => {
        const { co, hook, app } = await seed();
        const second = { secret: "whsec_second", createdAt: at(3000), expiresAt: null };
        const rotated = await s.integrations.rotateSigningSecret(
          co.id,
          hook.id,
          second,
          new Date(at(3000).getTime() + DAY),
        );
        const previous = {
          ...hook.signingSecrets[0]!,
          expiresAt: new Date(at(3000).getTime() + DAY),
        };
        expect(rotated?.signingSecrets).toEqual([second, previous]);
        expect(rotated?.updatedAt).toEqual(at(3000));
        expect(await s.integrations.getIntegration(co.id, hook.id)).toEqual(rotated);
        // A day and more later the first secret has expired and is dropped.
        const third = {
          secret: "whsec_third",
          createdAt: new Date(at(3000).getTime() + 2 * DAY),
          expiresAt: null,
        };
        const again = await s.integrations.rotateSigningSecret(
          co.id,
          hook.id,
          third,
          new Date(third.createdAt.getTime() + DAY),
        );
        expect(again?.signingSecrets).toEqual([
          third,
          { ...second, expiresAt: new Date(third.createdAt.getTime() + DAY) },
        ]);
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(
          await s.integrations.rotateSigningSecret(other.id, hook.id, third, at(1)),
        ).toBeNull();
        expect(await s.integrations.rotateSigningSecret(co.id, app.id, third, at(1))).toBeNull();
      });

      test("touchTokenUse() records lastUsedAt without being awaited", async () => {
        const { co, app } = await seed();
        s.integrations.touchTokenUse(app.id, at(4000));
        const lastUsed = async () => {
          const found = await s.integrations.getIntegration(co.id, app.id);
          return found?.kind === "custom" ? found.lastUsedAt : null;
        };
        expect(
          await eventually(async () => (await lastUsed())?.getTime() === at(4000).getTime()),
        ).toBe(true);
        s.integrations.touchTokenUse(app.id, at(4010));
        expect(
          await eventually(async () => (await lastUsed())?.getTime() === at(4010).getTime()),
        ).toBe(true);
      });
    });

    describe("messages", () => {
      test("saveMessage() stores the message, its events and pending deliveries at once", async () => {
        const { co, ch, hook } = await seed();
        const second = webhook(co.id, { url: "https://b.example.com" });
        await s.integrations.createWebhook(second);
        const msg = message(ch);
        const sent = outbox(msg, [hook.id, second.id]);
        await s.messages.saveMessage(msg, [sent]);
        expect(await s.messages.getMessage(co.id, msg.id)).toEqual(msg);
        expect(await inspect.eventsOf(msg.id)).toEqual([sent.event]);
        const deliveries = await inspect.deliveriesOf(sent.event.id);
        expect(deliveries.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
          sent.deliveries.map(([id, webhookId]) => ({
            id,
            companyId: co.id,
            eventId: sent.event.id,
            webhookId,
            status: "pending",
            attempts: 0,
            nextAttemptAt: sent.event.createdAt,
            leaseUntil: null,
            lastStatusCode: null,
            lastError: null,
            createdAt: sent.event.createdAt,
            updatedAt: sent.event.createdAt,
          })),
        );
      });

      test("messages are isolated by company and found by provider id", async () => {
        const { co, ch } = await seed();
        const msg = message(ch, { error: { code: "E1", message: "nope" }, integrationId: "int_1" });
        await s.messages.saveMessage(msg, []);
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await s.messages.getMessage(other.id, msg.id)).toBeNull();
        expect(await s.messages.getMessage(co.id, "msg_unknown")).toBeNull();
        expect(await s.messages.findMessageByProviderId(ch.id, msg.providerMessageId!)).toEqual(
          msg,
        );
        expect(await s.messages.findMessageByProviderId(ch.id, "SM-unknown")).toBeNull();
        expect(
          await s.messages.findMessageByProviderId("ch_other", msg.providerMessageId!),
        ).toBeNull();
      });

      test("listMessages() pages newest first, filtered by channel, within the company", async () => {
        const { co, ch } = await seed();
        const ch2 = channel(co.id);
        await s.channels.createChannel(ch2);
        const msgs = [message(ch), message(ch2), message(ch), message(ch2), message(ch)];
        for (const m of msgs) await s.messages.saveMessage(m, []);
        const newest = [...msgs].reverse();
        const first = await s.messages.listMessages(co.id, { limit: 3 });
        expect(first.data).toEqual(newest.slice(0, 3));
        const rest = await s.messages.listMessages(co.id, { limit: 3, cursor: first.nextCursor! });
        expect(rest).toEqual({ data: newest.slice(3), nextCursor: null });
        const onCh2 = await s.messages.listMessages(co.id, { limit: 10, channelId: ch2.id });
        expect(onCh2).toEqual({ data: [msgs[3]!, msgs[1]!], nextCursor: null });
        const other = company("Other");
        await s.companies.createCompany(other);
        expect(await s.messages.listMessages(other.id, { limit: 10 })).toEqual({
          data: [],
          nextCursor: null,
        });
      });

      test("updateMessageStatus() appends history and writes the event of the change", async () => {
        const { co, ch, hook } = await seed();
        const msg = message(ch);
        await s.messages.saveMessage(msg, []);
        // Changes come after the message was made (the history stays in time order).
        const later = (seconds: number) => new Date(msg.createdAt.getTime() + seconds * 1000);
        const change = { status: "delivered" as MessageStatus, at: later(60) };
        const spec = eventSpec(ch, [hook.id], "message.delivered");
        expect(await s.messages.updateMessageStatus(msg.id, change, spec)).toBe("applied");
        const expected: Message = {
          ...msg,
          status: "delivered",
          history: [...msg.history, change],
          updatedAt: later(60),
        };
        expect(await s.messages.getMessage(co.id, msg.id)).toEqual(expected);
        // The event is built from the message as it stands after the change, in the store.
        const built = buildMessageEvent(expected, spec);
        expect(await inspect.eventsOf(msg.id)).toEqual([built.event]);
        expect(JSON.parse(built.event.payload).data.message.status).toBe("delivered");
        const deliveries = await inspect.deliveriesOf(spec.id);
        expect(deliveries.map((d) => [d.id, d.webhookId])).toEqual(
          spec.deliveries.map(([id, webhookId]) => [id, webhookId]),
        );

        // An SMS that was delivered did not fail: the late report is kept, not applied.
        const failed = { status: "failed" as MessageStatus, at: later(61), reason: "30003" };
        expect(await s.messages.updateMessageStatus(msg.id, failed, null)).toBe("not_applied");
        const afterFail = await s.messages.getMessage(co.id, msg.id);
        expect(afterFail?.status).toBe("delivered");
        expect(afterFail?.history.at(-1)).toEqual({ ...failed, applied: false });
        expect((await inspect.eventsOf(msg.id)).length).toBe(1);
      });

      test("updateMessageStatus() is idempotent: a status already applied is no news at all", async () => {
        const { co, ch, hook } = await seed();
        const msg = message(ch);
        await s.messages.saveMessage(msg, []);
        const later = (seconds: number) => new Date(msg.createdAt.getTime() + seconds * 1000);
        const spec = () => eventSpec(ch, [hook.id], "message.delivered");
        const change = { status: "delivered" as MessageStatus, at: later(60) };
        expect(await s.messages.updateMessageStatus(msg.id, change, spec())).toBe("applied");
        const eventsBefore = await inspect.count("events");
        expect(
          await s.messages.updateMessageStatus(msg.id, { ...change, at: later(61) }, spec()),
        ).toBe("repeated");
        // A late "sent" after "delivered": the message already went through "sent".
        expect(
          await s.messages.updateMessageStatus(msg.id, { status: "sent", at: later(62) }, spec()),
        ).toBe("repeated");
        expect(await inspect.count("events")).toBe(eventsBefore);
        expect((await s.messages.getMessage(co.id, msg.id))?.history.length).toBe(3);
        expect(await s.messages.updateMessageStatus("msg_unknown", change, spec())).toBe("unknown");
      });

      test("updateMessageStatus() rejects an event of another channel and changes nothing", async () => {
        const { co, ch, hook } = await seed();
        const msg = message(ch);
        await s.messages.saveMessage(msg, []);
        const elsewhere = { ...ch, id: "ch_elsewhere" };
        await expectRejection(
          s.messages.updateMessageStatus(
            msg.id,
            { status: "delivered", at: at(7100) },
            eventSpec(elsewhere, [hook.id], "message.delivered"),
          ),
          /is not on channel "ch_elsewhere"/,
        );
        expect(await s.messages.getMessage(co.id, msg.id)).toEqual(msg);
        expect(await inspect.eventsOf(msg.id)).toEqual([]);
      });

      test("a failing write rejects only its own caller and leaves nothing half-written", async () => {
        const { co, ch, hook } = await seed();
        const ok1 = message(ch);
        const bad = message(ch);
        const ok2 = message(ch);
        const first = outbox(ok1, [hook.id]);
        // `bad` reuses an existing event id: its message insert succeeds, then its event fails.
        const badEvent = outbox(bad, [hook.id]);
        const clash = { ...badEvent, event: { ...badEvent.event, id: first.event.id } };
        const results = await Promise.allSettled([
          s.messages.saveMessage(ok1, [first]),
          s.messages.saveMessage(bad, [clash]),
          s.messages.saveMessage(ok2, [outbox(ok2, [hook.id])]),
        ]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
        expect(await s.messages.getMessage(co.id, ok1.id)).toEqual(ok1);
        expect(await s.messages.getMessage(co.id, bad.id)).toBeNull();
        expect(await s.messages.getMessage(co.id, ok2.id)).toEqual(ok2);
        expect(await inspect.count("messages")).toBe(2);
        expect(await inspect.count("events")).toBe(2);
        expect(await inspect.count("deliveries")).toBe(2);
      });

      test("1000 concurrent saveMessage() calls are all durable once they resolve", async () => {
        const { ch, hook } = await seed();
        const msgs = Array.from({ length: 1000 }, () => message(ch));
        await Promise.all(msgs.map((m) => s.messages.saveMessage(m, [outbox(m, [hook.id])])));
        expect(await inspect.count("messages")).toBe(1000);
        expect(await inspect.count("events")).toBe(1000);
        expect(await inspect.count("deliveries")).toBe(1000);
      });
    });

    describe("idempotency", () => {
      const ttlMs = DAY;
      const claim = (key: string, fingerprint: string, now: number, scope = "int_a") =>
        s.idempotency.claim(scope, key, { fingerprint, now, ttlMs });

      test("claim → in_progress → complete → completed; another body is a mismatch", async () => {
        expect(await claim("k1", "fp1", T0)).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp1", T0 + 1)).toEqual({ state: "in_progress" });
        expect(await claim("k1", "fp2", T0 + 2)).toEqual({ state: "mismatch" });
        const response = { status: 200, body: '{"id":"msg_1","status":"sent"}' };
        await s.idempotency.complete("int_a", "k1", response);
        expect(await claim("k1", "fp1", T0 + 3)).toEqual({ state: "completed", response });
        expect(await claim("k1", "fp2", T0 + 4)).toEqual({ state: "mismatch" });
      });

      test("keys are scoped: the same key in another scope is free", async () => {
        expect(await claim("k1", "fp1", T0, "int_a")).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp1", T0, "int_b")).toEqual({ state: "claimed" });
      });

      test("release() frees a pending key but not a completed one", async () => {
        await claim("k1", "fp1", T0);
        await s.idempotency.release("int_a", "k1");
        expect(await claim("k1", "fp2", T0 + 1)).toEqual({ state: "claimed" });
        const response = { status: 402, body: '{"error":"PROVIDER_ERROR"}' };
        await s.idempotency.complete("int_a", "k1", response);
        await s.idempotency.release("int_a", "k1");
        expect(await claim("k1", "fp2", T0 + 2)).toEqual({ state: "completed", response });
      });

      test("a record at or past its expiry counts as absent", async () => {
        await claim("k1", "fp1", T0);
        await s.idempotency.complete("int_a", "k1", { status: 200, body: "{}" });
        expect((await claim("k1", "fp1", T0 + ttlMs - 1)).state).toBe("completed");
        expect(await claim("k1", "fp2", T0 + ttlMs)).toEqual({ state: "claimed" });
        expect(await claim("k1", "fp2", T0 + ttlMs + 1)).toEqual({ state: "in_progress" });
        await claim("k2", "fp1", T0);
        expect(await claim("k2", "fp1", T0 + ttlMs)).toEqual({ state: "claimed" });
      });

      test("writes issued together apply in call order", async () => {
        const response = { status: 200, body: '{"ok":true}' };
        const [first, , second, third] = await Promise.all([
          claim("k1", "fp1", T0),
          s.idempotency.complete("int_a", "k1", response),
          claim("k1", "fp1", T0 + 1),
          claim("k1", "fp9", T0 + 1),
        ]);
        expect(first).toEqual({ state: "claimed" });
        expect(second).toEqual({ state: "completed", response });
        expect(third).toEqual({ state: "mismatch" });
        const racers = await Promise.all(Array.from({ length: 20 }, () => claim("k2", "fp1", T0)));
        expect(racers.filter((r) => r.state === "claimed").length).toBe(1);
        expect(racers.filter((r) => r.state === "in_progress").length).toBe(19);
      });
    });
  });
}
