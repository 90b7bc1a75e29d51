/**
 * Process: the send's durable floor, Elysia plus the writes a send makes durable
 * (bench/README.md#the-send-floor).
 *
 * @module
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Elysia } from "elysia";
import { migrateSqlite } from "../../../adapters/store/sqlite/migrate_sqlite.ts";
import { openSqlite } from "../../../adapters/store/sqlite/open_sqlite.ts";
import {
  eventValues,
  historyToJson,
  insertSql,
  messageValues,
} from "../../../adapters/store/sqlite/row_encoding.ts";
import { events } from "../../../adapters/store/sqlite/schema/events.ts";
import { messages } from "../../../adapters/store/sqlite/schema/messages.ts";
import type { Channel, Message } from "../../../core/domain.ts";
import { buildMessageEvent } from "../../../core/message_event.ts";
import { groupCommit } from "../../shared/floor_commit.ts";
import { announceApp, SmsBody } from "./elysia_baseline.ts";

const DELIVERED_AFTER_MS = 50;

const given = process.env.SENDEASY_DATA_DIR;
const dir = given ?? mkdtempSync(join(tmpdir(), "sendeasy-floor-"));
const path = join(dir, "floor.sqlite");

const channel: Channel = {
  id: "chn_floor",
  companyId: "co_floor",
  type: "sms",
  provider: "sandbox",
  name: "floor",
  address: "+5511933334444",
  config: {},
  credits: null,
  createdAt: new Date(0),
  deletedAt: null,
};

/**
 * The schema, and the company and channel the rows' foreign keys point at. The connection stays
 * open, as Sendeasy's own does: closing it while drizzle's statements are alive only defers the
 * close, and the deferred connection can still hold the file's lock when the writer opens it.
 */
function createDatabase(): void {
  const db = openSqlite(path);
  migrateSqlite(db);
  db.run("INSERT INTO companies (id, name, created_at) VALUES (?, 'floor', 0)", [
    channel.companyId,
  ]);
  db.run(
    `INSERT INTO channels (id, company_id, type, provider, name, address, config_sealed, created_at)
     VALUES (?, ?, 'sms', 'sandbox', 'floor', ?, '', 0)`,
    [channel.id, channel.companyId, channel.address],
  );
}

/** The floor's writes, as Sendeasy's writer makes them (real schema). */
const STATEMENTS = {
  insertMessage: insertSql(messages),
  insertEvent: insertSql(events),
  setStatus: "UPDATE messages SET status = ?, history = ?, updated_at = ? WHERE id = ?",
};

createDatabase();
const commits = groupCommit(path, STATEMENTS);
let sent = 0;

/** The events row of `message`'s event, as Sendeasy writes it (core's envelope bytes). */
function eventRow(message: Message, type: "message.sent" | "message.delivered", at: Date) {
  const spec = { type, id: `evt_${type}_${message.id}`, createdAt: at, channel, deliveries: [] };
  return eventValues(buildMessageEvent(message, spec).event);
}

function reportDelivered(sentMessage: Message): void {
  const at = new Date();
  const history = [...sentMessage.history, { status: "delivered" as const, at }];
  const message: Message = { ...sentMessage, status: "delivered", history, updatedAt: at };
  const update = [message.status, historyToJson(history), at.getTime(), message.id];
  void commits.write(["setStatus", update]);
  void commits.write(["insertEvent", eventRow(message, "message.delivered", at)]);
}

const app = new Elysia()
  .post(
    "/api/integration/generic",
    async ({ body }) => {
      const n = ++sent;
      const at = new Date();
      const message: Message = {
        id: `msg_floor_${process.pid}_${n}`,
        companyId: channel.companyId,
        channelId: channel.id,
        channelType: "sms",
        direction: "outbound",
        integrationId: null,
        status: "sent",
        provider: "sandbox",
        providerMessageId: `sbx_${n}`,
        to: [body.to],
        from: channel.address,
        payload: body,
        segments: 1,
        credits: 1,
        error: null,
        history: [{ status: "sent", at }],
        createdAt: at,
        updatedAt: at,
      };
      void commits.write(["insertMessage", messageValues(message)]);
      await commits.write(["insertEvent", eventRow(message, "message.sent", at)]);
      setTimeout(() => reportDelivered(message), DELIVERED_AFTER_MS);
      return {
        id: message.id,
        status: "sent",
        channel: { id: channel.id, type: "sms" },
        provider: "sandbox",
        providerMessageId: message.providerMessageId,
        segments: 1,
      };
    },
    { body: SmsBody },
  )
  .listen({ port: 0, hostname: "127.0.0.1" });

await announceApp(app, () => {
  commits.close();
  if (given === undefined) rmSync(dir, { recursive: true, force: true });
});
