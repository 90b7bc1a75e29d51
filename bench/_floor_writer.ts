/**
 * The writer thread of the durable floor (`floor.ts`): its own connection to the floor's
 * SQLite file, the same pragmas as Sendeasy's (`synchronous = FULL`), and each batch it is given
 * run as one transaction, answered by its id once committed.
 *
 * @module
 */
import type { Database, SQLQueryBindings } from "bun:sqlite";
import { prepareInsertValues } from "../../adapters/store/sqlite/_statements.ts";
import { openSqlite } from "../../adapters/store/sqlite/open_sqlite.ts";
import { events } from "../../adapters/store/sqlite/schema/events.ts";
import { messages } from "../../adapters/store/sqlite/schema/messages.ts";

declare const self: Worker;

type Values = SQLQueryBindings[];

/** A send (a message and its event) or a status report (the update and its event). */
export type FloorWrite =
  | { kind: "send"; message: Values; event: Values }
  | { kind: "status"; update: Values; event: Values };

export type ToFloorWriter = { type: "open"; path: string } | { id: number; writes: FloorWrite[] };

let run: ((writes: FloorWrite[]) => void) | null = null;

function prepare(db: Database): (writes: FloorWrite[]) => void {
  const insertMessage = prepareInsertValues(db, messages);
  const insertEvent = prepareInsertValues(db, events);
  const update = db.prepare<unknown, Values>(
    "UPDATE messages SET status = ?, history = ?, updated_at = ? WHERE id = ?",
  );
  return db.transaction((writes: FloorWrite[]) => {
    for (const write of writes) {
      if (write.kind === "send") insertMessage(write.message);
      else update.run(...write.update);
      insertEvent(write.event);
    }
  }).immediate;
}

self.onmessage = (event: MessageEvent<ToFloorWriter>) => {
  const message = event.data;
  if ("type" in message) {
    run = prepare(openSqlite(message.path));
    return;
  }
  if (run === null) throw new Error("the floor writer was not opened");
  run(message.writes);
  self.postMessage(message.id);
};
