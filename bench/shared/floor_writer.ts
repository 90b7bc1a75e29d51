/**
 * The durable floors' writer thread: each batch it is given as one transaction
 * (bench/README.md#the-durable-floors).
 *
 * @module
 */
import type { SQLQueryBindings, Statement } from "bun:sqlite";
import { openSqlite } from "../../adapters/store/sqlite/open_sqlite.ts";

declare const self: Worker;

/** A statement by name and its values; a statement with `RETURNING` answers its rows. */
export type FloorWrite = readonly [statement: string, values: SQLQueryBindings[]];

export type ToFloorWriter =
  | { type: "open"; path: string; statements: Record<string, string> }
  | { type: "batch"; id: number; writes: FloorWrite[] };

/** A committed batch: per write, its rows (`RETURNING`) or `null`. */
export type FromFloorWriter = { id: number; rows: (unknown[] | null)[] };

let run: ((writes: FloorWrite[]) => (unknown[] | null)[]) | null = null;

function open(path: string, sql: Record<string, string>): typeof run {
  const db = openSqlite(path);
  const statements = new Map<string, { statement: Statement; returns: boolean }>();
  for (const [name, text] of Object.entries(sql)) {
    statements.set(name, { statement: db.prepare(text), returns: /\bRETURNING\b/i.test(text) });
  }
  return db.transaction((writes: FloorWrite[]) =>
    writes.map(([name, values]) => {
      const prepared = statements.get(name);
      if (prepared === undefined) throw new Error(`the floor writer has no statement ${name}`);
      if (prepared.returns) return prepared.statement.all(...values);
      prepared.statement.run(...values);
      return null;
    }),
  ).immediate;
}

self.onmessage = (event: MessageEvent<ToFloorWriter>) => {
  const message = event.data;
  if (message.type === "open") {
    run = open(message.path, message.statements);
    return;
  }
  if (run === null) throw new Error("the floor writer was not opened");
  const answer: FromFloorWriter = { id: message.id, rows: run(message.writes) };
  self.postMessage(answer);
};
