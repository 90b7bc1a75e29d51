/**
 * Message ↔ row mapping: the history keeps SQLite's JSON shape (`at` in Unix ms).
 *
 * @module
 */
import type { Message, MessageStatusChange } from "../../../core/domain.ts";
import type { messages, StatusChangeJson } from "./schema/messages.ts";

export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;

export function historyToJson(history: readonly MessageStatusChange[]): StatusChangeJson[] {
  return history.map((change) => {
    const json: StatusChangeJson = { status: change.status, at: change.at.getTime() };
    if (change.reason !== undefined) json.reason = change.reason;
    if (change.applied === false) json.applied = false;
    return json;
  });
}

function historyFromJson(json: readonly StatusChangeJson[]): MessageStatusChange[] {
  return json.map((entry) => {
    const change: MessageStatusChange = { status: entry.status, at: new Date(entry.at) };
    if (entry.reason !== undefined) change.reason = entry.reason;
    if (entry.applied === false) change.applied = false;
    return change;
  });
}

export function messageToRow(message: Message): MessageInsert {
  return {
    id: message.id,
    companyId: message.companyId,
    channelId: message.channelId,
    channelType: message.channelType,
    direction: message.direction,
    integrationId: message.integrationId,
    status: message.status,
    provider: message.provider,
    providerMessageId: message.providerMessageId,
    recipients: message.to,
    sender: message.from,
    payload: message.payload,
    segments: message.segments,
    credits: message.credits,
    errorCode: message.error?.code ?? null,
    errorMessage: message.error?.message ?? null,
    history: historyToJson(message.history),
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}

export function messageFromRow(row: MessageRow): Message {
  return {
    id: row.id,
    companyId: row.companyId,
    channelId: row.channelId,
    channelType: row.channelType,
    direction: row.direction,
    integrationId: row.integrationId,
    status: row.status,
    provider: row.provider,
    providerMessageId: row.providerMessageId,
    to: row.recipients,
    from: row.sender,
    payload: row.payload,
    segments: row.segments,
    credits: row.credits,
    error: row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? "" },
    history: historyFromJson(row.history),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
