/**
 * The transaction bodies of the two writes that meet at a provider message id: the provider's
 * answer to a send (which gives a queued message its id) and a provider's report (which names
 * a message by that id, and may arrive first). Both take the advisory lock of the id before
 * they look, so a report either finds the message or is found by the answer's write.
 *
 * @module
 */
import { type SQL, sql } from "drizzle-orm";
import type { Message } from "../../../core/domain.ts";
import type { MessageEventSpec } from "../../../core/message_event.ts";
import type {
  ProviderReport,
  ProviderReportOutcome,
  SendOutcome,
} from "../../../core/ports/message_store.ts";
import {
  type EventSpecJson,
  eventSpecFromJson,
  eventSpecToJson,
  type ReportJson,
  reportFromJson,
  reportToJson,
} from "../_report_json.ts";
import {
  lockMessages,
  lockProviderIds,
  MessageChanges,
  providerIdKey,
} from "./_message_changes.ts";
import { messageFromRow } from "./_message_row.ts";
import type { PgTx } from "./pg_runner.ts";
import { messages } from "./schema/messages.ts";
import { statusReports } from "./schema/status_reports.ts";

/** One provider answer to record. */
export interface OutcomeWrite {
  messageId: string;
  outcome: SendOutcome;
  event: MessageEventSpec | null;
}

/** A report claimed by a message: `[channelId, providerMessageId, key, messageId]`. */
type Claim = [string, string, string, string];

/** Records each answer, then applies the reports that waited for its id; events written. */
export async function applySendOutcomes(
  tx: PgTx,
  batch: readonly OutcomeWrite[],
): Promise<number[]> {
  const ids = batch.map((write) => write.messageId);
  const channelOf = new Map<string, string>();
  const found = await tx
    .select({ id: messages.id, channelId: messages.channelId })
    .from(messages)
    .where(sql`${messages.id} = ANY(${sql.param([...new Set(ids)])}::text[])`);
  for (const row of found) channelOf.set(row.id, row.channelId);
  const named = batch.flatMap((write) => {
    const channelId = channelOf.get(write.messageId);
    return write.outcome.ok && channelId !== undefined
      ? [[channelId, write.outcome.providerMessageId] as const]
      : [];
  });
  await lockProviderIds(
    tx,
    named.map(([channelId, id]) => providerIdKey(channelId, id)),
  );
  const changes = new MessageChanges(await lockMessages(tx, ids));
  const waiting = await waitingReports(tx, named);
  const claims: Claim[] = [];
  const results = batch.map(({ messageId, outcome, event }) => {
    const message = changes.get(messageId);
    if (message === undefined) return 0;
    const before = changes.eventCount;
    if (!outcome.ok) {
      const report = { status: "failed" as const, at: outcome.at, reason: outcome.error.code };
      changes.apply(message, { ...report, error: outcome.error }, event);
      // Nothing went out: the credits go back (README "Sending", Credits).
      changes.set({ ...(changes.get(messageId) as Message), credits: 0 });
      return changes.eventCount - before;
    }
    const named: Message = {
      ...message,
      providerMessageId: message.providerMessageId ?? outcome.providerMessageId,
    };
    changes.apply(named, { status: "sent", at: outcome.at }, event);
    const key = providerIdKey(message.channelId, outcome.providerMessageId);
    for (const row of waiting.get(key) ?? []) {
      const current = changes.get(messageId) as Message;
      const spec = row.event === null ? null : eventSpecFromJson(row.event);
      changes.apply(current, reportFromJson(row.report), spec);
      claims.push([message.channelId, outcome.providerMessageId, row.key, messageId]);
    }
    waiting.delete(key);
    return changes.eventCount - before;
  });
  await claim(tx, claims);
  await changes.write(tx);
  return results;
}

/** Stores each report once; applies it to its message, or leaves it waiting for one. */
export async function applyProviderReports(
  tx: PgTx,
  batch: readonly ProviderReport[],
): Promise<ProviderReportOutcome[]> {
  const keys = batch.map((r) => providerIdKey(r.channelId, r.providerMessageId));
  await lockProviderIds(tx, keys);
  const inserted = await insertReports(tx, batch);
  const byProviderId = await lockByProviderId(tx, batch);
  const changes = new MessageChanges([...byProviderId.values()]);
  const claims: Claim[] = [];
  const results = batch.map((input, i): ProviderReportOutcome => {
    const key = `${keys[i]}/${input.key}`;
    if (!inserted.delete(key)) return "duplicate";
    const locked = byProviderId.get(keys[i] as string);
    if (locked === undefined) return "waiting";
    claims.push([input.channelId, input.providerMessageId, input.key, locked.id]);
    const message = changes.get(locked.id) as Message;
    return changes.apply(message, input.report, input.event) ? "applied" : "not_applied";
  });
  await claim(tx, claims);
  await changes.write(tx);
  return results;
}

interface WaitingRow {
  key: string;
  report: ReportJson;
  event: EventSpecJson | null;
}

/** The reports still waiting for each `channelId/providerMessageId`, oldest first. */
async function waitingReports(
  tx: PgTx,
  named: ReadonlyArray<readonly [string, string]>,
): Promise<Map<string, WaitingRow[]>> {
  const byKey = new Map<string, WaitingRow[]>();
  if (named.length === 0) return byKey;
  const rows = await tx
    .select()
    .from(statusReports)
    .where(
      sql`${statusReports.messageId} IS NULL AND (${statusReports.channelId}, ${statusReports.providerMessageId}) IN (${pairs(named)})`,
    )
    .orderBy(statusReports.receivedAt, statusReports.seq);
  for (const row of rows) {
    const key = providerIdKey(row.channelId, row.providerMessageId);
    const list = byKey.get(key) ?? [];
    list.push({ key: row.key, report: row.report, event: row.event ?? null });
    byKey.set(key, list);
  }
  return byKey;
}

/** Inserts the reports; the `channelId/providerMessageId/key` of those that were new. */
async function insertReports(tx: PgTx, batch: readonly ProviderReport[]): Promise<Set<string>> {
  const rows = batch.map((r) => ({
    channel_id: r.channelId,
    provider_message_id: r.providerMessageId,
    key: r.key,
    report: reportToJson(r.report),
    event: r.event === null ? null : eventSpecToJson(r.event),
    received_at: r.report.at.toISOString(),
  }));
  const returned = (await tx.execute(sql`
    INSERT INTO ${statusReports} (channel_id, provider_message_id, key, report, event, received_at)
    SELECT channel_id, provider_message_id, key, report, event, received_at
    FROM jsonb_to_recordset(${sql.param(rows)}::jsonb)
      AS r(channel_id text, provider_message_id text, key text, report jsonb, event jsonb,
        received_at timestamptz)
    ON CONFLICT DO NOTHING
    RETURNING channel_id, provider_message_id, key`)) as unknown as Array<{
    channel_id: string;
    provider_message_id: string;
    key: string;
  }>;
  return new Set(returned.map((r) => `${r.channel_id}/${r.provider_message_id}/${r.key}`));
}

/** Locks the newest outbound message of each provider id; by `channelId/providerMessageId`. */
async function lockByProviderId(
  tx: PgTx,
  batch: readonly ProviderReport[],
): Promise<Map<string, Message>> {
  const named = batch.map((r) => [r.channelId, r.providerMessageId] as const);
  const rows = await tx
    .select()
    .from(messages)
    .where(
      sql`${messages.direction} = 'outbound' AND (${messages.channelId}, ${messages.providerMessageId}) IN (${pairs(named)})`,
    )
    .orderBy(messages.id)
    .for("no key update");
  const byKey = new Map<string, Message>();
  // Ascending ids: the newest message of an id ends up in the map.
  for (const row of rows) {
    byKey.set(providerIdKey(row.channelId, row.providerMessageId ?? ""), messageFromRow(row));
  }
  return byKey;
}

/** Marks reports as applied to (or kept by) their message. */
async function claim(tx: PgTx, claims: readonly Claim[]): Promise<void> {
  if (claims.length === 0) return;
  await tx.execute(sql`
    UPDATE ${statusReports} SET message_id = c.message_id
    FROM jsonb_to_recordset(${sql.param(
      claims.map(([channelId, providerMessageId, key, messageId]) => ({
        channel_id: channelId,
        provider_message_id: providerMessageId,
        key,
        message_id: messageId,
      })),
    )}::jsonb) AS c(channel_id text, provider_message_id text, key text, message_id text)
    WHERE ${statusReports.channelId} = c.channel_id
      AND ${statusReports.providerMessageId} = c.provider_message_id
      AND ${statusReports.key} = c.key`);
}

/** `SELECT * FROM unnest(channelIds, providerMessageIds)`: pairs to match with `IN`. */
function pairs(named: ReadonlyArray<readonly [string, string]>): SQL {
  return sql`SELECT * FROM unnest(${sql.param(named.map(([c]) => c))}::text[], ${sql.param(named.map(([, p]) => p))}::text[])`;
}
