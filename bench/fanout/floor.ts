/**
 * Process: the fan-out's durable floor, draining queued deliveries with only the durable
 * bookkeeping (bench/README.md#the-fan-out-floor).
 *
 * @module
 */
import { openSqlite } from "../../adapters/store/sqlite/open_sqlite.ts";
import { insertKeys, insertSql, insertValues } from "../../adapters/store/sqlite/row_encoding.ts";
import { deliveryAttempts } from "../../adapters/store/sqlite/schema/delivery_attempts.ts";
import { groupCommit } from "../shared/floor_commit.ts";

/** docs/api.md#webhooks: the attempt log keeps the first 2 KiB of the answer. */
const ANSWER_KEPT = 2048;
const LEASE_MS = 60_000;

const STATEMENTS = {
  // One webhook's due deliveries, through the index Sendeasy's claims use.
  claim: `UPDATE deliveries SET lease_until = ?1 WHERE id IN (
      SELECT id FROM deliveries
      WHERE webhook_id = ?3 AND status = 'pending' AND next_attempt_at <= ?2
        AND (lease_until IS NULL OR lease_until < ?2)
      ORDER BY next_attempt_at LIMIT ?4)
    RETURNING id, event_id AS eventId, webhook_id AS webhookId`,
  settle: `UPDATE deliveries SET status = 'succeeded', attempts = attempts + 1, next_attempt_at = NULL,
      lease_until = NULL, last_status_code = ?, last_error = NULL, updated_at = ? WHERE id = ?`,
  logAttempt: insertSql(deliveryAttempts),
};
const ATTEMPT_KEYS = insertKeys(deliveryAttempts);

type Claimed = { id: string; eventId: string; webhookId: string };

async function main(): Promise<void> {
  const [path, inFlightArg] = Bun.argv.slice(2);
  const inFlight = Number(inFlightArg);
  if (path === undefined || !(inFlight > 0)) {
    throw new Error("usage: bun bench/fanout/floor.ts <sendeasy.sqlite> <inFlight>");
  }
  const db = openSqlite(path);
  const urls = new Map(
    db
      .query<{ id: string; url: string }, []>(
        "SELECT id, url FROM integrations WHERE kind = 'webhook'",
      )
      .all()
      .map((row) => [row.id, row.url]),
  );
  const keys = new Map(
    [...urls.keys()].map((id) => [id, crypto.getRandomValues(new Uint8Array(32))]),
  );
  const payloads = db.query<{ id: string; payload: string }, [string]>(
    "SELECT id, payload FROM events WHERE id IN (SELECT value FROM json_each(?))",
  );
  const commits = groupCommit(path, STATEMENTS);

  let out = 0;
  let delivered = 0;
  let errors = 0;
  let claiming = false;
  let drained = false;
  const settles: Promise<unknown>[] = [];
  const { promise: done, resolve: finish } = Promise.withResolvers<void>();
  const cpuBefore = process.cpuUsage();

  const deliver = async (delivery: Claimed, payload: string): Promise<void> => {
    const startedAt = Date.now();
    const timestamp = Math.floor(startedAt / 1000);
    const key = keys.get(delivery.webhookId) as Uint8Array;
    const signature = new Bun.CryptoHasher("sha256", key)
      .update(`${delivery.eventId}.${timestamp}.${payload}`)
      .digest("base64");
    let status: number | null = null;
    let answer: string | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(urls.get(delivery.webhookId) as string, {
        method: "POST",
        redirect: "manual",
        headers: {
          "content-type": "application/json",
          "webhook-id": delivery.eventId,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": `v1,${signature}`,
        },
        body: payload,
      });
      status = res.status;
      answer = (await res.text()).slice(0, ANSWER_KEPT);
      if (status < 200 || status >= 300) errors++;
    } catch (caught) {
      error = String(caught);
      errors++;
    }
    const now = Date.now();
    const attempt = {
      id: `att_${delivery.id}`,
      deliveryId: delivery.id,
      trigger: "scheduled",
      startedAt,
      durationMs: now - startedAt,
      statusCode: status,
      responseBody: answer,
      error,
    };
    settles.push(
      commits.write(["settle", [status, now, delivery.id]]),
      commits.write(["logAttempt", insertValues(ATTEMPT_KEYS, attempt)]),
    );
    delivered++;
  };

  const pump = async (): Promise<void> => {
    if (claiming || drained || out > inFlight / 2) return;
    claiming = true;
    const now = Date.now();
    const each = Math.ceil((inFlight - out) / urls.size);
    const claims = [...urls.keys()].map((webhookId) =>
      commits.write(["claim", [now + LEASE_MS, now, webhookId, each]]),
    );
    const rows = (await Promise.all(claims)).flatMap((claimed) => (claimed ?? []) as Claimed[]);
    claiming = false;
    if (rows.length === 0) {
      drained = true;
      if (out === 0) finish();
      return;
    }
    const eventIds = [...new Set(rows.map((row) => row.eventId))];
    const bodies = new Map(payloads.all(JSON.stringify(eventIds)).map((e) => [e.id, e.payload]));
    for (const row of rows) {
      out++;
      void deliver(row, bodies.get(row.eventId) as string).then(() => {
        out--;
        if (drained && out === 0) finish();
        else void pump();
      });
    }
    void pump();
  };

  await pump();
  await done;
  await Promise.all(settles);
  const cpu = process.cpuUsage(cpuBefore);
  commits.close();
  process.stdout.write(
    `${JSON.stringify({ deliveries: delivered, errors, cpuUs: cpu.user + cpu.system })}\n`,
  );
}

if (import.meta.main) await main();
