/**
 * The writer thread: its own connection to the store's file (same pragmas: WAL,
 * `synchronous = FULL`), every write operation prepared on it, and one transaction per batch
 * message. No migration: the main thread migrated before starting it.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { openSqlite } from "../open_sqlite.ts";
import { type FromWriter, resultToWire, type ToWriter } from "./_wire.ts";
import { SqliteBatch } from "./batch.ts";
import { bindWrite, createWriteOps, type WriteOps } from "./write_ops.ts";

declare const self: Worker;

let state: { db: Database; ops: WriteOps; batch: SqliteBatch } | null = null;

function answer(message: FromWriter): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<ToWriter>) => {
  const message = event.data;
  switch (message.type) {
    case "open": {
      // A failure here is uncaught on purpose: the thread dies and the main side rejects
      // every write with it.
      const db = openSqlite(message.path);
      state = { db, ops: createWriteOps(db), batch: new SqliteBatch(db) };
      return;
    }
    case "batch": {
      if (state === null) throw new Error("Cannot run a SQLite batch: the writer is not open");
      const { ops, batch } = state;
      const result = resultToWire(batch.run(message.calls.map((call) => bindWrite(ops, call))));
      try {
        answer({ type: "result", id: message.id, result });
      } catch (error) {
        // A result that cannot be cloned is a bug in an operation; the batch did commit.
        answer({ type: "result", id: message.id, result: resultToWire({ ok: false, error }) });
      }
      return;
    }
    case "close": {
      state?.db.close();
      state = null;
      answer({ type: "closed" });
      return;
    }
  }
};
