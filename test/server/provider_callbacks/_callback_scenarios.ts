/**
 * The provider callback scenarios every remote provider answers alike, on SQLite and Postgres:
 * a forged callback changes nothing; the same signed callback ten times at once applies once;
 * statuses only move forward, a late or backwards report is kept in the history as not applied
 * and emits nothing, and `message.failed` carries the provider's error. Each provider's test
 * file runs them with its {@linkcode CallbackAdapter}.
 *
 * @module
 */
import { describe, expect, test } from "bun:test";
import { backends, eventsByMessage, messagesOf } from "../../support/backends.ts";
import { post } from "../../support/provider_callbacks.ts";
import {
  type CallbackAdapter,
  type CallbackSuite,
  type Reported,
  useCallbackServer,
} from "./_callback_server.ts";

const COPIES = 10;

const RANK: Record<string, number> = {
  "message.sent": 1,
  "message.delivered": 2,
  "message.read": 3,
  "message.failed": 4,
};

/** Registers every scenario for `adapter`'s provider, once per backend; call at the top level. */
export async function callbackScenarios(adapter: CallbackAdapter): Promise<void> {
  for (const backend of await backends()) {
    describe(`${adapter.provider} callbacks, on ${backend.name}`, () => {
      const suite = useCallbackServer(backend, adapter);
      const h = helpers(adapter, suite);
      forgedScenario(adapter, suite, h);
      duplicateScenarios(adapter, suite, h);
      outOfOrderScenarios(adapter, h);
    });
  }
}

type Helpers = ReturnType<typeof helpers>;

function helpers(adapter: CallbackAdapter, suite: () => CallbackSuite) {
  const server = () => suite().t;
  const channelId = () => suite().channel.id;
  const stored = async (id: string) => (await server().admin("GET", `/messages/${id}`)).body;
  return {
    stored,
    async send(): Promise<{ id: string; providerMessageId: string }> {
      const res = await server().send(suite().channel.token, adapter.body());
      expect(res.status).toBe(200);
      return res.body;
    },
    async report(pmid: string, status: Reported): Promise<void> {
      expect(await post(server().url, adapter.report(channelId(), pmid, status))).toBe(200);
    },
    async history(id: string): Promise<string[]> {
      return (await stored(id)).history.map((h: { status: string; applied?: false }) =>
        h.applied === false ? `${h.status} (not applied)` : h.status,
      );
    },
    async events(id: string) {
      return (await eventsByMessage(server(), channelId())).get(id) ?? [];
    },
    async eventTypes(id: string): Promise<string[]> {
      return ((await eventsByMessage(server(), channelId())).get(id) ?? []).map((e) => e.type);
    },
  };
}

function forgedScenario(adapter: CallbackAdapter, suite: () => CallbackSuite, h: Helpers): void {
  test(`${adapter.provider}: a forged callback answers 401 and changes nothing`, async () => {
    const { t, channel } = suite();
    const sent = await h.send();
    const forgeries = adapter.forgeries(channel.id, sent.providerMessageId, t.url);
    expect(Object.keys(forgeries).length).toBeGreaterThanOrEqual(3);
    for (const [name, forged] of Object.entries(forgeries)) {
      const res = await fetch(t.url + forged.path, {
        method: "POST",
        body: forged.body,
        headers: forged.headers,
      });
      expect({ name, status: res.status }).toEqual({ name, status: 401 });
      expect(await res.json()).toMatchObject({ error: "ERR_NO_PERMISSION" });
    }
    expect((await h.stored(sent.id)).status).toBe("sent");
    expect(await h.eventTypes(sent.id)).toEqual(["message.sent"]);
    // The same report, signed, applies: what failed above was the signature alone.
    await h.report(sent.providerMessageId, "delivered");
    expect((await h.stored(sent.id)).status).toBe("delivered");
  });
}

function duplicateScenarios(adapter: CallbackAdapter, suite: () => CallbackSuite, h: Helpers) {
  const server = () => suite().t;
  const channelId = () => suite().channel.id;

  test(`${adapter.provider}: an inbound message ${COPIES} times at once is stored once, with one message.received`, async () => {
    for (let round = 0; round < 3; round++) {
      const before = (await messagesOf(server(), channelId())).length;
      const callback = adapter.inbound(channelId(), round);
      const statuses = await Promise.all(
        Array.from({ length: COPIES }, () => post(server().url, callback)),
      );
      expect(statuses).toEqual(Array(COPIES).fill(200));
      const messages = await messagesOf(server(), channelId());
      expect(messages.length).toBe(before + 1);
      const received = messages[0];
      expect(received.direction).toBe("inbound");
      expect(await h.eventTypes(received.id)).toEqual(["message.received"]);
    }
  });

  test(`${adapter.provider}: a status callback ${COPIES} times at once applies once, with one event`, async () => {
    const sent = await h.send();
    const callback = adapter.report(channelId(), sent.providerMessageId, "delivered");
    const statuses = await Promise.all(
      Array.from({ length: COPIES }, () => post(server().url, callback)),
    );
    expect(statuses).toEqual(Array(COPIES).fill(200));
    const stored = await h.stored(sent.id);
    expect(stored.status).toBe("delivered");
    expect(stored.history.filter((x: { status: string }) => x.status === "delivered")).toHaveLength(
      1,
    );
    expect(await h.eventTypes(sent.id)).toEqual(["message.sent", "message.delivered"]);
  });
}

function outOfOrderScenarios(adapter: CallbackAdapter, h: Helpers): void {
  const provider = adapter.provider;

  test(`${provider}: read before delivered ends read; the late delivered is kept, not applied`, async () => {
    const sent = await h.send();
    await h.report(sent.providerMessageId, "read");
    await h.report(sent.providerMessageId, "delivered");
    expect((await h.stored(sent.id)).status).toBe("read");
    expect(await h.history(sent.id)).toEqual(["queued", "sent", "read", "delivered (not applied)"]);
    expect(await h.eventTypes(sent.id)).toEqual(["message.sent", "message.read"]);
  });

  test(`${provider}: delivered and read at the same moment always end read`, async () => {
    const sends = await Promise.all(Array.from({ length: 6 }, () => h.send()));
    await Promise.all(
      sends.flatMap((sent) =>
        (["delivered", "read", "delivered", "read"] as const).map((status) =>
          h.report(sent.providerMessageId, status),
        ),
      ),
    );
    for (const sent of sends) {
      expect({ id: sent.id, status: (await h.stored(sent.id)).status }).toEqual({
        id: sent.id,
        status: "read",
      });
      // Never an event for a status below one already emitted. Events were emitted in the
      // order their message changed: each shows the message with one more applied change.
      const emitted = [...(await h.events(sent.id))].sort(
        (a, b) => a.envelope.data.message.history.length - b.envelope.data.message.history.length,
      );
      const ranks = emitted.map((e) => RANK[e.type] ?? 0);
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
      expect(new Set(ranks).size).toBe(ranks.length);
      expect(ranks.at(-1)).toBe(RANK["message.read"]);
      // …and dated in that order.
      const dates = emitted.map((e) => Date.parse(e.envelope.createdAt));
      expect(dates).toEqual([...dates].sort((a, b) => a - b));
    }
  });

  test(`${provider}: nothing follows a failure, and message.failed carries the provider's error`, async () => {
    const sent = await h.send();
    await h.report(sent.providerMessageId, "failed");
    await h.report(sent.providerMessageId, "delivered");
    await h.report(sent.providerMessageId, "read");
    const message = await h.stored(sent.id);
    expect(message.status).toBe("failed");
    expect(message.error).toMatchObject({ provider });
    expect(typeof message.error.code).toBe("string");
    expect(typeof message.error.message).toBe("string");
    expect(await h.history(sent.id)).toEqual([
      "queued",
      "sent",
      "failed",
      "delivered (not applied)",
      "read (not applied)",
    ]);
    const events = await h.events(sent.id);
    expect(events.map((e) => e.type)).toEqual(["message.sent", "message.failed"]);
    expect(events[1]?.envelope.data.message.error).toEqual(message.error);
  });

  test(`${provider}: a failure after delivery applies on e-mail only`, async () => {
    const sent = await h.send();
    await h.report(sent.providerMessageId, "delivered");
    await h.report(sent.providerMessageId, "read");
    await h.report(sent.providerMessageId, "failed");
    const email = adapter.type === "email";
    expect((await h.stored(sent.id)).status).toBe(email ? "failed" : "read");
    expect((await h.history(sent.id)).at(-1)).toBe(email ? "failed" : "failed (not applied)");
    expect(await h.eventTypes(sent.id)).toEqual(
      email
        ? ["message.sent", "message.delivered", "message.read", "message.failed"]
        : ["message.sent", "message.delivered", "message.read"],
    );
  });
}
