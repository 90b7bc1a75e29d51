/**
 * Write operations that change a message's status, each applying the one status rule
 * (`core/message_status.ts`) inside its transaction: the writer runs them one at a time (and
 * `BEGIN IMMEDIATE` serializes them with every other process), so concurrent reports for one
 * message apply one after the other and each sees the last.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import type { Message } from "../../../../core/domain.ts";
import { buildMessageEvent, type MessageEventSpec } from "../../../../core/message_event.ts";
import {
  alreadyApplied,
  applyStatusChange,
  type StatusReport,
} from "../../../../core/message_status.ts";
import type {
  OutboxEvent,
  ProviderReport,
  ProviderReportOutcome,
  SendOutcome,
  StatusChangeOutcome,
} from "../../../../core/ports/message_store.ts";
import {
  type EventSpecJson,
  eventSpecFromJson,
  eventSpecToJson,
  type ReportJson,
  reportFromJson,
  reportToJson,
} from "../../_report_json.ts";
import { historyToJson, type MessageRow, messageFromRow } from "../_message_row.ts";
import type { OutboxWriter } from "../_outbox.ts";
import { selectList } from "../_statements.ts";
import { messages } from "../schema/messages.ts";

interface WaitingRow {
  key: string;
  report: string;
  event: string | null;
}

/** The status writes on `db`, sharing the message store's outbox writer. */
export function statusOps(db: Database, outbox: OutboxWriter) {
  const select = `SELECT ${selectList(messages)} FROM messages`;
  const byId: Statement<MessageRow, [string]> = db.prepare(`${select} WHERE id = ?`);
  const byProviderId: Statement<MessageRow, [string, string]> = db.prepare(
    `${select} WHERE channel_id = ? AND provider_message_id = ? AND direction = 'outbound' ORDER BY id DESC LIMIT 1`,
  );
  // Only a send's outcome sets the provider id and credits: an UPDATE naming an indexed column
  // rewrites that index's entries, which a status change (the sandbox's, per send) need not pay.
  const writeStatus: Statement<
    unknown,
    [string, string, number, string | null, string | null, string]
  > = db.prepare(
    "UPDATE messages SET status = ?, history = ?, updated_at = ?, error_code = ?, error_message = ? WHERE id = ?",
  );
  const writeOutcome: Statement<unknown, [string | null, number, string]> = db.prepare(
    "UPDATE messages SET provider_message_id = ?, credits = ? WHERE id = ?",
  );
  const insertReport: Statement<
    unknown,
    [string, string, string, string | null, string, string | null, number]
  > = db.prepare(
    "INSERT INTO status_reports (channel_id, provider_message_id, key, message_id, report, event, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
  );
  const waiting: Statement<WaitingRow, [string, string]> = db.prepare(
    "SELECT key, report, event FROM status_reports WHERE channel_id = ? AND provider_message_id = ? AND message_id IS NULL ORDER BY received_at, rowid",
  );
  const claim: Statement<unknown, [string, string, string, string]> = db.prepare(
    "UPDATE status_reports SET message_id = ? WHERE channel_id = ? AND provider_message_id = ? AND key = ?",
  );

  const save = (message: Message, events: OutboxEvent[]): void => {
    writeStatus.run(
      message.status,
      historyToJson(message.history),
      message.updatedAt.getTime(),
      message.error?.code ?? null,
      message.error?.message ?? null,
      message.id,
    );
    if (events.length > 0) outbox.insertOutbox(events);
  };

  /** Applies `report` to `message`; its event (if it applied) joins `events`. */
  const apply = (
    message: Message,
    report: StatusReport,
    event: MessageEventSpec | null,
    events: OutboxEvent[],
  ): { applied: boolean; message: Message } => {
    const outcome = applyStatusChange(message, report);
    if (outcome.applied && event !== null) events.push(buildMessageEvent(outcome.message, event));
    return outcome;
  };

  /** The reports that waited for `message`'s provider id, applied in arrival order. */
  const applyWaiting = (message: Message, events: OutboxEvent[]): Message => {
    if (message.providerMessageId === null) return message;
    let current = message;
    for (const row of waiting.all(message.channelId, message.providerMessageId)) {
      const spec = row.event === null ? null : (JSON.parse(row.event) as EventSpecJson);
      const event = spec === null ? null : eventSpecFromJson(spec);
      const report = reportFromJson(JSON.parse(row.report) as ReportJson);
      current = apply(current, report, event, events).message;
      claim.run(current.id, current.channelId, message.providerMessageId, row.key);
    }
    return current;
  };

  return {
    /** A status of our own (the sandbox's): by the rule; a status already applied is no news. */
    "messages.updateStatus": (
      messageId: string,
      report: StatusReport,
      event: MessageEventSpec | null,
    ): StatusChangeOutcome => {
      const row = byId.get(messageId);
      if (row === null) return "unknown";
      const message = messageFromRow(row);
      if (alreadyApplied(message, report.status)) return "repeated";
      const events: OutboxEvent[] = [];
      const outcome = apply(message, report, event, events);
      save(outcome.message, events);
      return outcome.applied ? "applied" : "not_applied";
    },
    /** The provider's answer to a queued send, then the reports that waited for its id. */
    "messages.recordSendOutcome": (
      messageId: string,
      outcome: SendOutcome,
      event: MessageEventSpec | null,
    ): number => {
      const row = byId.get(messageId);
      if (row === null) return 0;
      const events: OutboxEvent[] = [];
      let message = messageFromRow(row);
      if (outcome.ok) {
        message.providerMessageId ??= outcome.providerMessageId;
        message = apply(message, { status: "sent", at: outcome.at }, event, events).message;
        message = applyWaiting(message, events);
      } else {
        const failure = { status: "failed" as const, at: outcome.at, reason: outcome.error.code };
        message = apply(message, { ...failure, error: outcome.error }, event, events).message;
        // Nothing went out: the credits go back (README "Sending", Credits).
        message.credits = 0;
      }
      writeOutcome.run(message.providerMessageId, message.credits, message.id);
      save(message, events);
      return events.length;
    },
    /** A provider's report: once per key; applied, kept, or waiting for its message. */
    "messages.report": (input: ProviderReport): ProviderReportOutcome => {
      const { channelId, providerMessageId, key, report, event } = input;
      const row = byProviderId.get(channelId, providerMessageId);
      const inserted = insertReport.run(
        channelId,
        providerMessageId,
        key,
        row?.id ?? null,
        JSON.stringify(reportToJson(report)),
        event === null ? null : JSON.stringify(eventSpecToJson(event)),
        report.at.getTime(),
      );
      if (inserted.changes === 0) return "duplicate";
      if (row === null) return "waiting";
      const events: OutboxEvent[] = [];
      const outcome = apply(messageFromRow(row), report, event, events);
      save(outcome.message, events);
      return outcome.applied ? "applied" : "not_applied";
    },
  };
}
