import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "../../../../adapters/crypto/secret_box.ts";
import { createSqliteStore, type SqliteStore } from "../../../../adapters/store/sqlite/mod.ts";
import type { WebhookIntegration } from "../../../../core/domain.ts";
import { makeSqliteHarness, TEST_KEY } from "../../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-delivery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T = Date.UTC(2025, 0, 1);
const LEASE_MS = 60_000;
const WORKER = join(import.meta.dir, "_claim_worker.ts");
/** Spawning Bun processes is slow on a loaded machine; the default 5 s is not enough there. */
const PROCESS_TEST_TIMEOUT_MS = 30_000;

/** A store on a fresh file holding `count` deliveries due at T, spread over `hooks` webhooks. */
async function outboxOf(
  count: number,
  hooks = 1,
): Promise<{ store: SqliteStore; path: string; ids: string[] }> {
  const { store, path } = await makeSqliteHarness(dir);
  const at = new Date(T);
  await store.companies.createCompany({ id: "co_1", name: "Acme", createdAt: at });
  const webhookIds = Array.from({ length: hooks }, (_, i) => `int_${i}`);
  for (const id of webhookIds) {
    const hook: WebhookIntegration = {
      id,
      companyId: "co_1",
      name: id,
      enabled: true,
      createdAt: at,
      updatedAt: at,
      kind: "webhook",
      scope: "general",
      channelId: null,
      url: `https://${id}.example.com`,
      bearerToken: null,
      events: null,
      disabledReason: null,
      signingSecrets: [{ secret: "whsec_x", createdAt: at, expiresAt: null }],
      failingSince: null,
    };
    await store.integrations.createWebhook(hook);
  }
  const ids: string[] = [];
  await Promise.all(
    Array.from({ length: count }, (_, i) => {
      const n = String(i).padStart(6, "0");
      const id = `dlv_${n}`;
      ids.push(id);
      return store.deliveries.saveEvent({
        event: {
          id: `evt_${n}`,
          companyId: "co_1",
          channelId: null,
          type: "integration.test",
          messageId: null,
          payload: "{}",
          createdAt: at,
        },
        deliveries: [[id, webhookIds[i % hooks]!]],
      });
    }),
  );
  return { store, path, ids };
}

function spawnWorker(mode: "crash" | "drain", path: string, limit: number) {
  return Bun.spawn(
    [process.execPath, WORKER, mode, path, TEST_KEY, String(T), String(LEASE_MS), String(limit)],
    { stdin: "pipe", stdout: "pipe", stderr: "pipe" },
  );
}

describe("SQLite delivery claims across processes", () => {
  test(
    "deliveries claimed by a process killed before settling are claimed again after the lease",
    async () => {
      const { store, path, ids } = await outboxOf(10);
      const child = spawnWorker("crash", path, 6);
      const [stdout, stderr] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
      ]);
      await child.exited;
      expect(stderr).toBe("");
      expect(child.signalCode).toBe("SIGKILL");
      const orphaned = JSON.parse(stdout) as string[];
      expect(orphaned).toEqual(ids.slice(0, 6));

      // The claim was committed before the kill: until the lease runs out only the rest is due.
      // This worker holds its claims longer than the dead one, so they do not come back below.
      const claimIds = async (now: number) =>
        (
          await store.deliveries.claimDue({
            now: new Date(now),
            limit: 100,
            leaseMs: 10 * LEASE_MS,
          })
        ).map((c) => c.delivery.id);
      expect(await claimIds(T)).toEqual(ids.slice(6));
      expect(await store.deliveries.nextDueAt()).toEqual(new Date(T + LEASE_MS));
      expect(await claimIds(T + LEASE_MS - 1)).toEqual([]);
      // None lost: the orphans come back, and the store reopened from scratch sees the same.
      await store.close();
      const fresh = createSqliteStore({ path, secretBox: await SecretBox.fromKey(TEST_KEY) });
      expect(
        (
          await fresh.deliveries.claimDue({
            now: new Date(T + LEASE_MS),
            limit: 100,
            leaseMs: LEASE_MS,
          })
        ).map((c) => c.delivery.id),
      ).toEqual(orphaned);
      await fresh.close();
    },
    PROCESS_TEST_TIMEOUT_MS,
  );

  test(
    "four processes racing to claim never get the same delivery, and get them all",
    async () => {
      const { store, path, ids } = await outboxOf(600, 5);
      const children = Array.from({ length: 4 }, () => spawnWorker("drain", path, 3));
      const readers = children.map((child) => child.stdout.getReader());
      const decoder = new TextDecoder();
      // Wait until every process is up, then start them together.
      for (const reader of readers) {
        const first = await reader.read();
        expect(decoder.decode(first.value)).toBe("ready\n");
      }
      for (const child of children) {
        child.stdin.write("go\n");
        await child.stdin.flush();
      }
      const outputs = await Promise.all(
        readers.map(async (reader) => {
          let text = "";
          for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
            text += decoder.decode(chunk.value);
          }
          return JSON.parse(text) as string[];
        }),
      );
      await Promise.all(children.map((child) => child.exited));
      expect(children.map((child) => child.exitCode)).toEqual([0, 0, 0, 0]);
      const claimed = outputs.flat();
      expect(new Set(claimed).size).toBe(claimed.length);
      expect(claimed.sort()).toEqual([...ids].sort());
      // How the work splits is up to SQLite's busy handler (it is not fair: a process may get
      // nearly all of it), so only the invariant is checked, not that every process got some.
      await store.close();
    },
    PROCESS_TEST_TIMEOUT_MS,
  );
});
