/**
 * What crosses between the main thread and the writer thread: the messages, and errors as
 * plain data rebuilt with their constructor on arrival.
 *
 * @module
 */
import type { BatchResult } from "./batch.ts";
import type { WriteCall } from "./write_ops.ts";

/** Main → writer. The first message is always `open`. */
export type ToWriter =
  | { type: "open"; path: string }
  | { type: "batch"; id: number; calls: readonly WriteCall[] }
  | { type: "close" };

/** Writer → main. */
export type FromWriter = { type: "result"; id: number; result: BatchResult } | { type: "closed" };

/** An error as plain data; `code` is SQLite's (`SQLITE_CONSTRAINT_UNIQUE`, …) when present. */
export interface WireError {
  name: string;
  message: string;
  code?: string;
}

/** `error` as plain data (anything thrown, not only Errors). */
export function errorToWire(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const { code } = error as { code?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
  };
}

/**
 * The error again, built with its constructor (`TypeError`, `RangeError`, else `Error` with
 * the original `name`, e.g. `SQLiteError`), so `instanceof` checks and `code` still work.
 */
export function errorFromWire(wire: WireError): Error {
  const error =
    wire.name === "TypeError"
      ? new TypeError(wire.message)
      : wire.name === "RangeError"
        ? new RangeError(wire.message)
        : new Error(wire.message);
  if (error.name !== wire.name) error.name = wire.name;
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  return error;
}

/** The batch result with its errors as plain data. */
export function resultToWire(result: BatchResult): BatchResult {
  if (!result.ok) return { ok: false, error: errorToWire(result.error) };
  return {
    ok: true,
    outcomes: result.outcomes.map((outcome) =>
      outcome.ok ? outcome : { ok: false, error: errorToWire(outcome.error) },
    ),
  };
}

/** The batch result with its errors rebuilt. */
export function resultFromWire(result: BatchResult): BatchResult {
  if (!result.ok) return { ok: false, error: errorFromWire(result.error as WireError) };
  return {
    ok: true,
    outcomes: result.outcomes.map((outcome) =>
      outcome.ok ? outcome : { ok: false, error: errorFromWire(outcome.error as WireError) },
    ),
  };
}
