/**
 * Runs an end-to-end suite on each database a server can use: the embedded SQLite, and a
 * fresh Postgres database of its own. Without Postgres the Postgres half is skipped with a
 * warning, except under `CI=true`, where it fails.
 *
 * @module
 */
import { afterAll, expect, test } from "bun:test";
import {
  createTestDatabase,
  POSTGRES_ADMIN_URL,
  probePostgres,
  type TestDatabase,
} from "./postgres_harness.ts";

/** Anything with the admin API: a test server or an instance process. */
interface AdminApi {
  admin(method: string, path: string): Promise<{ body: any }>;
}

/** A database a suite runs on: the environment it gives a server. */
export interface Backend {
  name: "sqlite" | "postgres";
  /** Extra environment of a server on this backend (`DATABASE_URL` for Postgres). */
  env: Record<string, string>;
}

const CI = process.env.CI === "true";

/**
 * The backends to run a file's suites on: SQLite, and Postgres on a fresh database of the
 * file's own (dropped after the file). Call once per file, at the top level.
 */
export async function backends(): Promise<Backend[]> {
  const list: Backend[] = [{ name: "sqlite", env: {} }];
  const probe = await probePostgres();
  if (!probe.ok) {
    if (CI) {
      test("Postgres answers", () => {
        throw new Error(`Cannot reach Postgres at ${POSTGRES_ADMIN_URL}: ${probe.reason}`);
      });
    } else console.warn(`SKIPPED the Postgres half: ${probe.reason}`);
    return list;
  }
  const db: TestDatabase = await createTestDatabase();
  afterAll(() => db.drop());
  list.push({ name: "postgres", env: { DATABASE_URL: db.url } });
  return list;
}

/** Every item of an admin list of a channel, newest first, following the cursors. */
async function listAll(t: AdminApi, path: string, channelId: string): Promise<any[]> {
  const all: any[] = [];
  let cursor: string | null = null;
  do {
    const after: string = cursor === null ? "" : `&cursor=${cursor}`;
    const res = await t.admin("GET", `${path}?channelId=${channelId}&limit=100${after}`);
    all.push(...res.body.data);
    cursor = res.body.nextCursor;
  } while (cursor !== null);
  return all;
}

/** The events of a channel, by message id, oldest first, through the admin API. */
export async function eventsByMessage(
  t: AdminApi,
  channelId: string,
): Promise<Map<string, { type: string; envelope: any }[]>> {
  const byMessage = new Map<string, { type: string; envelope: any }[]>();
  for (const event of (await listAll(t, "/events", channelId)).reverse()) {
    const list = byMessage.get(event.messageId) ?? [];
    list.push({ type: event.type, envelope: event.envelope });
    byMessage.set(event.messageId, list);
  }
  return byMessage;
}

/** Every message of a channel through the admin API, newest first. */
export function messagesOf(t: AdminApi, channelId: string): Promise<any[]> {
  return listAll(t, "/messages", channelId);
}

/**
 * Waits until every message of `ids` has `message.sent` then `message.delivered` (5 s at
 * most), and checks that those are all its events.
 */
export async function expectSentThenDelivered(
  t: AdminApi,
  channelId: string,
  ids: readonly string[],
  timeoutMs = 5_000,
): Promise<void> {
  const allDelivered = async () => {
    const events = await eventsByMessage(t, channelId);
    return ids.every((id) => events.get(id)?.at(-1)?.type === "message.delivered");
  };
  expect(await eventually(allDelivered, timeoutMs)).toBe(true);
  const events = await eventsByMessage(t, channelId);
  for (const id of ids) {
    expect((events.get(id) ?? []).map((e) => e.type)).toEqual([
      "message.sent",
      "message.delivered",
    ]);
  }
}

/** Polls `check` until it answers true (every 20 ms, up to `timeoutMs`); false on timeout. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 5_000,
): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await Bun.sleep(20);
  }
  return check();
}
