import { afterAll, afterEach, beforeEach, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { SQL } from "bun";
import type { PostgresStore } from "../../../../adapters/store/postgres/mod.ts";
import type { Message, WebhookIntegration } from "../../../../core/domain.ts";
import { runAdminAccessContract } from "../../../contracts/admin_access_contract.ts";
import { runDeliveryContract } from "../../../contracts/delivery_contract.ts";
import { runExactlyOnceContract } from "../../../contracts/exactly_once_contract.ts";
import { runFairClaimContract } from "../../../contracts/fair_claim_contract.ts";
import { runMessageStateContract } from "../../../contracts/message_state_contract.ts";
import { runSendQueueContract } from "../../../contracts/send_queue_contract.ts";
import { runStoreContract } from "../../../contracts/store_contract.ts";
import {
  at,
  attemptOf,
  channel,
  company,
  nextId,
  outboxEvent,
  succeeded,
  webhook,
} from "../../../support/delivery_fixtures.ts";
import {
  createTestDatabase,
  makePostgresHarness,
  openTestStore,
  POSTGRES_ADMIN_URL,
  probePostgres,
  type TestDatabase,
} from "../../../support/postgres_harness.ts";

// With CI=true the Postgres tests must run: a missing server fails the suite (issue 6).
const CI = process.env.CI === "true";
const probe = await probePostgres();
if (!probe.ok && !CI) {
  console.warn(
    `Skipping the Postgres store tests: no server at ${POSTGRES_ADMIN_URL} (${probe.reason}). ` +
      "Start one (`pg_ctlcluster --skip-systemctl-redirect <version> main start`) or set SENDEASY_TEST_POSTGRES_URL.",
  );
}

test.skipIf(!probe.ok && !CI)(`Postgres answers at ${POSTGRES_ADMIN_URL}`, () => {
  if (!probe.ok) throw new Error(`Cannot reach Postgres: ${probe.reason}`);
});

if (probe.ok) {
  // One fresh database for this file, emptied before each test, dropped at the end.
  const db: TestDatabase = await createTestDatabase();
  afterAll(() => db.drop());

  runStoreContract("postgres", () => makePostgresHarness(db));
  runAdminAccessContract("postgres", () => makePostgresHarness(db));
  runFairClaimContract("postgres", () => makePostgresHarness(db));

  runDeliveryContract("postgres", async () => {
    const harness = await makePostgresHarness(db);
    return {
      store: harness.store,
      cleanup: harness.cleanup,
      openSecond: async () => {
        const second = await openTestStore(db, { migrate: false });
        return { store: second, close: () => second.close() };
      },
    };
  });

  const messageStateHarness = async () => {
    const harness = await makePostgresHarness(db);
    return {
      ...harness,
      openSecond: async () => {
        const second = await openTestStore(db, { migrate: false });
        return { store: second, close: () => second.close() };
      },
    };
  };
  runMessageStateContract("postgres", messageStateHarness);
  runExactlyOnceContract("postgres", messageStateHarness);
  runSendQueueContract("postgres", messageStateHarness);

  describePostgresAdapter(db);
}

/** The adapter's own promises: several pools on one database, secrets at rest, dropped links. */
function describePostgresAdapter(db: TestDatabase): void {
  describe("postgres adapter", () => {
    let harness: Awaited<ReturnType<typeof makePostgresHarness>>;
    let store: PostgresStore;
    let other: PostgresStore;
    let raw: SQL;
    beforeEach(async () => {
      harness = await makePostgresHarness(db);
      store = harness.store;
      other = await openTestStore(db, { migrate: false });
      raw = new SQL({ url: db.url, database: db.name, max: 1 });
    });
    afterEach(async () => {
      await other.close();
      await harness.cleanup();
      await raw.close();
    });

    async function seed(hooks = 1) {
      const co = company();
      await store.companies.createCompany(co);
      const ch = { ...channel(co.id), credits: 150 };
      await store.channels.createChannel(ch);
      const made: WebhookIntegration[] = [];
      for (let i = 0; i < hooks; i++) {
        const hook = webhook(co.id);
        await store.integrations.createWebhook(hook);
        made.push(hook);
      }
      return { co, ch, hooks: made };
    }

    function message(co: { id: string }, ch: { id: string }): Message {
      return {
        id: nextId("msg"),
        companyId: co.id,
        channelId: ch.id,
        channelType: "sms",
        direction: "outbound",
        integrationId: null,
        status: "sent",
        provider: "sandbox",
        providerMessageId: nextId("SM"),
        to: ["+15550002222"],
        from: "+15550001111",
        payload: { to: "+15550002222", body: "Hello", metadata: { order: 42 } },
        segments: 1,
        credits: 1,
        error: null,
        history: [{ status: "sent", at: at(1) }],
        createdAt: at(1),
        updatedAt: at(1),
      };
    }

    test("two stores (two pools) claiming 200 deliveries in loops share them: union all, overlap none", async () => {
      const { co, ch, hooks } = await seed(4);
      const all: string[] = [];
      for (let i = 0; i < 50; i++) {
        const entry = outboxEvent(
          co.id,
          ch.id,
          hooks.map((h) => h.id),
          { when: at(i % 7) },
        );
        await store.deliveries.saveEvent(entry);
        all.push(...entry.deliveries.map(([id]) => id));
      }
      const drain = async (s: PostgresStore): Promise<string[]> => {
        const mine: string[] = [];
        for (;;) {
          const claims = await s.deliveries.claimDue({ now: at(100), limit: 8, leaseMs: 60_000 });
          if (claims.length === 0) return mine;
          for (const c of claims) {
            mine.push(c.delivery.id);
            const settled = await s.deliveries.settle(
              { deliveryId: c.delivery.id, leaseUntil: c.leaseUntil },
              attemptOf(c.delivery.id, at(101), 200),
              succeeded(),
            );
            expect(settled.ok).toBe(true);
          }
        }
      };
      const [a, b] = await Promise.all([drain(store), drain(other)]);
      const overlap = a.filter((id) => b.includes(id));
      expect(overlap).toEqual([]);
      expect([...a, ...b].sort()).toEqual(all.sort());
      // Both took part, and every delivery went out exactly once.
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      const [row] = await raw`
        SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'succeeded')::int AS ok,
          (SELECT count(*)::int FROM delivery_attempts) AS tries
        FROM deliveries`;
      expect(row).toEqual({ n: 200, ok: 200, tries: 200 });
    });

    test("credits, status callbacks and idempotency keys hold across two pools", async () => {
      const { co, ch, hooks } = await seed();
      const takes = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          (i % 2 ? store : other).channels.takeCredits(ch.id, 1),
        ),
      );
      expect(takes.filter((t) => t.ok).length).toBe(150);
      expect((await store.channels.getChannel(co.id, ch.id))?.credits).toBe(0);

      const msg = message(co, ch);
      await store.messages.saveMessage(msg, []);
      const updates = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).messages.updateMessageStatus(
            msg.id,
            { status: "delivered", at: at(2) },
            {
              type: "message.delivered",
              id: nextId("evt"),
              createdAt: at(2),
              channel: ch,
              deliveries: [[nextId("dlv"), hooks[0]!.id]],
            },
          ),
        ),
      );
      expect(updates.filter((outcome) => outcome === "applied").length).toBe(1);
      expect((await store.messages.getMessage(co.id, msg.id))?.history.length).toBe(2);
      const [{ n }] = await raw`SELECT count(*)::int AS n FROM events`;
      expect(n).toBe(1);

      const claims = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 ? store : other).idempotency.claim("int_a", "k1", {
            fingerprint: "fp",
            now: at(0).getTime(),
            ttlMs: 86_400_000,
          }),
        ),
      );
      expect(claims.filter((c) => c.state === "claimed").length).toBe(1);
      expect(claims.filter((c) => c.state === "in_progress").length).toBe(19);
    });

    test("secrets are sealed in the tables; JSON columns hold documents, not strings", async () => {
      const secrets = {
        authToken: "PLAINTEXT-twilio-auth-7f3a9c",
        bearer: "PLAINTEXT-bearer-91bd0e",
        rotatedBearer: "PLAINTEXT-bearer-rotated-55aa01",
        signing: "whsec_PLAINTEXT-signing-c0ffee",
        rotatedSigning: "whsec_PLAINTEXT-signing-rotated-beef42",
      };
      const co = company();
      await store.companies.createCompany(co);
      const ch = {
        ...channel(co.id),
        name: "VISIBLE-channel-3e8d",
        config: { authToken: secrets.authToken },
      };
      await store.channels.createChannel(ch);
      const hook = webhook(co.id, {
        bearerToken: secrets.bearer,
        events: ["message.sent"],
        signingSecrets: [{ secret: secrets.signing, createdAt: at(0), expiresAt: null }],
      });
      await store.integrations.createWebhook(hook);
      await store.integrations.updateIntegration(
        co.id,
        hook.id,
        { bearerToken: secrets.rotatedBearer },
        at(1),
      );
      await store.integrations.rotateSigningSecret(
        co.id,
        hook.id,
        { secret: secrets.rotatedSigning, createdAt: at(2), expiresAt: null },
        at(86_402),
      );
      await store.messages.saveMessage(message(co, ch), []);
      // The values round-trip, so they were stored somewhere…
      const back = (await store.integrations.getIntegration(co.id, hook.id)) as WebhookIntegration;
      expect(back.bearerToken).toBe(secrets.rotatedBearer);
      expect(back.signingSecrets.map((s) => s.secret)).toEqual([
        secrets.rotatedSigning,
        secrets.signing,
      ]);
      expect((await store.channels.getChannel(co.id, ch.id))?.config.authToken).toBe(
        secrets.authToken,
      );

      // …sealed in their columns…
      const [sealed] = await raw`
        SELECT c.config_sealed, i.bearer_token_sealed, i.signing_secrets_sealed
        FROM channels c, integrations i WHERE c.id = ${ch.id} AND i.id = ${hook.id}`;
      for (const value of Object.values(sealed as Record<string, string>)) {
        expect(value).toStartWith("v1:");
      }
      // …and in clear nowhere: every row of every table, as text.
      const tables: Array<{ name: string }> = await raw`
        SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`;
      let dump = "";
      for (const { name } of tables) {
        const rows: Array<{ row: string }> = await raw.unsafe(
          `SELECT t::text AS row FROM "${name}" t`,
        );
        dump += rows.map((r) => r.row).join("\n");
      }
      expect(dump).toContain(ch.name);
      for (const secret of Object.values(secrets)) expect(dump).not.toContain(secret);

      const [types] = await raw`
        SELECT jsonb_typeof(m.payload) AS payload, jsonb_typeof(m.recipients) AS recipients,
          jsonb_typeof(m.history) AS history, jsonb_typeof(i.events) AS events
        FROM messages m, integrations i WHERE i.id = ${hook.id}`;
      expect(types).toEqual({
        payload: "object",
        recipients: "array",
        history: "array",
        events: "array",
      });
    });

    test("terminated backends mid-run: in-flight saves and the next calls all succeed", async () => {
      const { co, ch, hooks } = await seed();
      const msgs = Array.from({ length: 300 }, () => message(co, ch));
      // Another session holds the messages table, so the saves are surely in flight (waiting
      // on the lock) when their sessions are ended; then it lets go.
      const holder = await raw.reserve();
      await holder`BEGIN`;
      await holder`LOCK TABLE messages IN EXCLUSIVE MODE`;
      const saves = Promise.allSettled(
        msgs.map((m) => store.messages.saveMessage(m, [outboxEvent(co.id, ch.id, [hooks[0]!.id])])),
      );
      const reads = Promise.allSettled(
        Array.from({ length: 50 }, () => store.companies.getCompany(co.id)),
      );
      for (let waited = 0; (await db.lockedOutSessions()) === 0; waited++) {
        if (waited > 1000) throw new Error("no save reached the server");
        await Bun.sleep(2);
      }
      // Ended while a statement of theirs was running: its answer never comes.
      expect(await db.terminateSessions()).toBeGreaterThan(0);
      await holder`COMMIT`;
      holder.release();
      const [saved, read] = await Promise.all([saves, reads]);
      expect(saved.filter((r) => r.status === "rejected")).toEqual([]);
      expect(read.every((r) => r.status === "fulfilled")).toBe(true);
      const [{ n }] = await raw`SELECT count(*)::int AS n FROM messages`;
      expect(n).toBe(300);

      // Idle connections dropped: the very next calls (a read, a transaction, a claim) succeed.
      await db.terminateSessions();
      expect(await store.companies.getCompany(co.id)).toEqual(co);
      await db.terminateSessions();
      const renamed = await store.integrations.updateIntegration(
        co.id,
        hooks[0]!.id,
        { name: "Renamed" },
        at(5),
      );
      expect(renamed?.name).toBe("Renamed");
      await db.terminateSessions();
      expect(
        (await store.deliveries.claimDue({ now: at(10), limit: 500, leaseMs: 1000 })).length,
      ).toBe(300);
      await store.ping();
    });

    test("two stores migrating a fresh database at once both start; a third run changes nothing", async () => {
      const fresh = await createTestDatabase();
      try {
        const [a, b] = await Promise.all([openTestStore(fresh), openTestStore(fresh)]);
        await a.companies.createCompany(company());
        await Promise.all([a.close(), b.close()]);
        const again = await openTestStore(fresh);
        await again.close();
        const check = new SQL({ url: fresh.url, database: fresh.name, max: 1 });
        const [{ n }] = await check`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`;
        const [{ companies }] = await check`SELECT count(*)::int AS companies FROM companies`;
        await check.close();
        // Each migration of the journal applied exactly once.
        const journal = await Bun.file(
          join(import.meta.dir, "../../../../drizzle/postgres/meta/_journal.json"),
        ).json();
        expect({ n, companies }).toEqual({ n: journal.entries.length, companies: 1 });
      } finally {
        await fresh.drop();
      }
    });
  });
}
