/**
 * Batches run on a dedicated writer thread (a Bun `Worker`) with its own connection to the
 * same file, so SQLite's statements and COMMIT's fsync cost the main thread nothing. WAL lets
 * the main thread's connection read every committed write.
 *
 * @module
 */

import { type FromWriter, resultFromWire, type ToWriter } from "./_wire.ts";
import type { BatchResult } from "./batch.ts";
import type { BatchRunner } from "./sqlite_writer.ts";
import type { WriteCall } from "./write_ops.ts";

/**
 * The writer thread's script as the repository names it: `bun run build` makes it a second
 * entrypoint of the executable, where a relative path names an embedded entrypoint.
 */
export const WRITER_WORKER_ENTRY = "./adapters/store/sqlite/writer/writer_worker.ts";

/** Inside a `bun build --compile` executable, modules live under `/$bunfs/`. */
const COMPILED = import.meta.url.startsWith("file:///$bunfs/");

const WRITER_WORKER = COMPILED
  ? WRITER_WORKER_ENTRY
  : new URL("./writer_worker.ts", import.meta.url).href;

/**
 * Sends each batch to the writer thread as ONE message and resolves with its outcomes once the
 * thread has committed it. Batches are answered in the order they were sent.
 *
 * If the thread dies (an uncaught error, a crash), every batch sent and not yet answered, and
 * every later one, fails with an error naming it; a batch it committed just before dying is
 * then reported as failed although durable (the same ambiguity as a lost connection).
 *
 * The thread keeps the process alive only while a batch is in flight.
 *
 * @example
 * ```ts
 * const writes = new SqliteWriter(new ThreadRunner("./data/sendeasy.sqlite"));
 * await writes.write("idempotency.prune", [Date.now()]);
 * await writes.close(); // last commit, then the thread ends
 * ```
 */
export class ThreadRunner implements BatchRunner {
  readonly #worker: Worker;
  /** Bun's `ref`/`unref` of the worker, which the DOM typing of the global does not show. */
  readonly #handle: { ref(): void; unref(): void };
  readonly #pending = new Map<number, (result: BatchResult) => void>();
  #next = 0;
  #failure: Error | null = null;
  #closing: Promise<void> | null = null;
  #onClosed: (() => void) | null = null;

  /**
   * Starts the thread and has it open `path` (already migrated).
   *
   * @param path The database file.
   * @param options.workerUrl The thread's script; default the writer worker (tests swap it).
   */
  constructor(path: string, options: { workerUrl?: string } = {}) {
    this.#worker = new Worker(options.workerUrl ?? WRITER_WORKER);
    this.#handle = this.#worker as unknown as { ref(): void; unref(): void };
    this.#worker.addEventListener("message", (event: MessageEvent<FromWriter>) => {
      this.#receive(event.data);
    });
    this.#worker.addEventListener("error", (event: ErrorEvent) => {
      this.#fail(new Error(`Cannot write to SQLite: the writer thread failed: ${event.message}`));
    });
    this.#worker.addEventListener("close", () => {
      this.#fail(new Error("Cannot write to SQLite: the writer thread stopped"));
    });
    this.#handle.unref();
    this.#send({ type: "open", path });
  }

  run(calls: readonly WriteCall[]): Promise<BatchResult> {
    if (this.#failure !== null) return Promise.resolve({ ok: false, error: this.#failure });
    const id = ++this.#next;
    return new Promise<BatchResult>((resolve) => {
      if (this.#pending.size === 0) this.#handle.ref();
      this.#pending.set(id, resolve);
      this.#send({ type: "batch", id, calls });
    });
  }

  /** Waits for the batches already sent, closes the thread's connection, ends the thread. */
  close(): Promise<void> {
    if (this.#closing === null) {
      this.#closing = new Promise<void>((resolve) => {
        if (this.#failure !== null) return resolve();
        this.#onClosed = resolve;
        this.#handle.ref();
        // Messages are handled in order: every batch sent before is committed first.
        this.#send({ type: "close" });
      }).then(() => {
        this.#failure ??= new Error("Cannot write to SQLite: the store is closed");
        this.#worker.terminate();
      });
    }
    return this.#closing;
  }

  #send(message: ToWriter): void {
    try {
      this.#worker.postMessage(message);
    } catch (error) {
      // Arguments that cannot be cloned (a caller bug) fail their batch, not the thread.
      if (message.type !== "batch") throw error;
      const settle = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      settle?.({ ok: false, error });
      if (this.#pending.size === 0) this.#handle.unref();
    }
  }

  #receive(message: FromWriter): void {
    if (message.type === "closed") {
      this.#onClosed?.();
      return;
    }
    const settle = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (this.#pending.size === 0 && this.#closing === null) this.#handle.unref();
    settle?.(resultFromWire(message.result));
  }

  /** The thread is gone: every batch in flight, and every later one, fails with `error`. */
  #fail(error: Error): void {
    if (this.#failure !== null) return;
    this.#failure = error;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const settle of pending) settle({ ok: false, error });
    this.#onClosed?.();
    this.#worker.terminate();
  }
}
