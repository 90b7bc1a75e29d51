import type { SQLQueryBindings } from "bun:sqlite";
import type { Message, MessageStatusChange } from "../../../core/domain.ts";
import { insertKeys, insertValues } from "./_statements.ts";
import { messages } from "./schema/messages.ts";

export type MessageRow = typeof messages.$inferSelect;
export type MessageInsert = typeof messages.$inferInsert;

/** A history entry as stored: `at` in Unix ms, `reason` and `applied: false` only when set. */
interface StatusChangeJson {
  status: MessageStatusChange["status"];
  at: number;
  reason?: string;
  applied?: false;
}

export function historyToJson(history: readonly MessageStatusChange[]): string {
  return JSON.stringify(history.map(changeToJson));
}

function changeToJson(change: MessageStatusChange): StatusChangeJson {
  const json: StatusChangeJson = { status: change.status, at: change.at.getTime() };
  if (change.reason !== undefined) json.reason = change.reason;
  if (change.applied === false) json.applied = false;
  return json;
}

function historyFromJson(text: string): MessageStatusChange[] {
  return (JSON.parse(text) as StatusChangeJson[]).map((json) => {
    const change: MessageStatusChange = { status: json.status, at: new Date(json.at) };
    if (json.reason !== undefined) change.reason = json.reason;
    if (json.applied === false) change.applied = false;
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
    recipients: JSON.stringify(message.to),
    sender: message.from,
    payload: JSON.stringify(message.payload),
    segments: message.segments,
    credits: message.credits,
    errorCode: message.error?.code ?? null,
    errorMessage: message.error?.message ?? null,
    history: historyToJson(message.history),
    createdAt: message.createdAt.getTime(),
    updatedAt: message.updatedAt.getTime(),
  };
}

const MESSAGE_KEYS = insertKeys(messages);

/** The message as its INSERT's values (see `insertValues`), ready for the writer thread. */
export function messageValues(message: Message): SQLQueryBindings[] {
  return insertValues(MESSAGE_KEYS, messageToRow(message));
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
    to: JSON.parse(row.recipients) as string[],
    from: row.sender,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    segments: row.segments,
    credits: row.credits,
    error: row.errorCode === null ? null : { code: row.errorCode, message: row.errorMessage ?? "" },
    history: historyFromJson(row.history),
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}
