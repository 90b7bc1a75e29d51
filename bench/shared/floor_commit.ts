/**
 * The durable floors' group commit (bench/README.md#the-durable-floors).
 *
 * @module
 */
import type { FloorWrite, FromFloorWriter, ToFloorWriter } from "./floor_writer.ts";

const MAX_BATCHES_IN_FLIGHT = 2;

/** Writes that resolve once durable, with their rows for a `RETURNING` statement. */
export interface GroupCommit {
  write(write: FloorWrite): Promise<unknown[] | null>;
  close(): void;
}

/**
 * @param path the SQLite file (already migrated)
 * @param statements the SQL the writes may name
 */
export function groupCommit(path: string, statements: Record<string, string>): GroupCommit {
  const thread = new Worker(new URL("./floor_writer.ts", import.meta.url).href);
  const send = (message: ToFloorWriter) => thread.postMessage(message);
  // A writer that dies would leave every write waiting: fail loudly instead.
  thread.addEventListener("error", (event) => {
    console.error(`the floor's writer thread failed: ${event.message}`);
    process.exit(1);
  });
  send({ type: "open", path, statements });
  type Queued = { write: FloorWrite; done: (rows: unknown[] | null) => void };
  let queue: Queued[] = [];
  const inFlight = new Map<number, Queued[]>();
  let nextId = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (inFlight.size >= MAX_BATCHES_IN_FLIGHT || queue.length === 0) return;
    const batch = queue;
    queue = [];
    const id = ++nextId;
    inFlight.set(id, batch);
    send({ type: "batch", id, writes: batch.map((queued) => queued.write) });
  };
  thread.onmessage = (event: MessageEvent<FromFloorWriter>) => {
    const batch = inFlight.get(event.data.id) ?? [];
    inFlight.delete(event.data.id);
    flush();
    batch.forEach((queued, i) => {
      queued.done(event.data.rows[i] ?? null);
    });
  };
  return {
    write: (write) =>
      new Promise((done) => {
        queue.push({ write, done });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      }),
    close: () => thread.terminate(),
  };
}
