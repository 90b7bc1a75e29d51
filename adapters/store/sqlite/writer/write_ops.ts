/**
 * Every SQLite write as a named, synchronous operation on data: arguments and results are
 * structured-cloneable (plain objects, arrays, Dates), so the same operation runs on the main
 * thread's connection or on the writer thread's.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { alertOps } from "./_alert_ops.ts";
import { channelOps } from "./_channel_ops.ts";
import { companyOps } from "./_company_ops.ts";
import { deliveryOps } from "./_delivery_ops.ts";
import { generationOps } from "./_generation_ops.ts";
import { historyOps } from "./_history_ops.ts";
import { housekeepingOps } from "./_housekeeping_ops.ts";
import { idempotencyOps } from "./_idempotency_ops.ts";
import { integrationOps } from "./_integration_ops.ts";
import { messageOps } from "./_message_ops.ts";
import { sendQueueOps } from "./_send_queue_ops.ts";
import { suppressionOps } from "./_suppression_ops.ts";

/**
 * Prepares every write operation on `db`. Each runs inside a batch's transaction (it never
 * starts one) and may run twice when its batch is replayed, so it has no effect other than
 * its statements.
 *
 * @param db An open, migrated connection.
 * @returns The operations by name (`"messages.save"`, `"channels.takeCredits"`, …).
 *
 * @example
 * ```ts
 * const ops = createWriteOps(db);
 * ops["channels.takeCredits"]("ch_…", 2); // { ok: true, remaining: 8 }
 * ```
 */
export function createWriteOps(db: Database) {
  const messageWrites = messageOps(db);
  return {
    ...companyOps(db),
    ...channelOps(db),
    ...integrationOps(db),
    ...deliveryOps(db),
    ...messageWrites,
    ...sendQueueOps(db, messageWrites["messages.recordSendOutcome"]),
    ...idempotencyOps(db),
    ...suppressionOps(db),
    ...historyOps(db),
    ...generationOps(db),
    ...alertOps(db),
    ...housekeepingOps(db),
  };
}

/** The write operations of one connection. */
export type WriteOps = ReturnType<typeof createWriteOps>;
/** The name of a write operation. */
export type WriteOpName = keyof WriteOps;
/** The arguments of operation `K`, as sent. */
export type WriteArgs<K extends WriteOpName> = Parameters<WriteOps[K]>;
/** The result of operation `K`, as received. */
export type WriteResult<K extends WriteOpName> = ReturnType<WriteOps[K]>;

/** A write as data: the operation's name and its arguments. */
export type WriteCall = readonly [op: string, args: readonly unknown[]];

/**
 * The function that runs `call` on `ops`.
 *
 * @throws {TypeError} (when run) For an unknown operation name.
 */
export function bindWrite(ops: WriteOps, call: WriteCall): () => unknown {
  const [name, args] = call;
  const op = Object.hasOwn(ops, name)
    ? (ops[name as WriteOpName] as (...args: readonly unknown[]) => unknown)
    : undefined;
  return () => {
    if (op === undefined) throw new TypeError(`Cannot run write "${name}": no such operation`);
    return op(...args);
  };
}
