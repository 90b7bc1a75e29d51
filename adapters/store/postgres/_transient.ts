/**
 * Which Postgres failures are worth another try, and what a retry may assume about them.
 *
 * @module
 */

/**
 * How a failure left the server:
 * - `not_sent`: no connection was made, so the statement never reached the server;
 * - `dropped`: the connection broke while a statement was in flight: the server rolled back
 *   any open transaction, but a lone statement (autocommit) may or may not have committed;
 * - `rolled_back`: the server aborted the transaction itself (deadlock, serialization);
 * - `null`: not transient (a bug, a constraint, bad input): never retried.
 */
export type FailureKind = "not_sent" | "dropped" | "rolled_back" | null;

/** Bun's own codes for a connection that could not be opened. */
const NOT_SENT_CODES = new Set([
  "ERR_POSTGRES_CONNECTION_REFUSED",
  "ERR_POSTGRES_CONNECTION_TIMEOUT",
  "ERR_POSTGRES_CONNECTION_FAILED",
  "ECONNREFUSED",
]);

/** Bun's own codes for a connection lost while in use. */
const DROPPED_CODES = new Set([
  "ERR_POSTGRES_CONNECTION_CLOSED",
  "ERR_POSTGRES_IDLE_TIMEOUT",
  "ERR_POSTGRES_LIFETIME_TIMEOUT",
  "ECONNRESET",
  "EPIPE",
]);

/**
 * SQLSTATEs (the server's `errno`): 57P03 the server is starting or stopping, 53300 too many
 * connections, 08001/08004 refused at startup — all before any statement ran.
 */
const NOT_SENT_STATES = new Set(["57P03", "53300", "08001", "08004"]);

/** 57P01/57P02 a backend terminated (`pg_terminate_backend`, shutdown, crash); class 08. */
const DROPPED_STATES = new Set(["57P01", "57P02", "08000", "08003", "08006", "08007"]);

/** 40001 serialization failure, 40P01 deadlock: the server rolled the transaction back. */
const ROLLED_BACK_STATES = new Set(["40001", "40P01"]);

/**
 * Classifies a failure of a query or transaction (see {@linkcode FailureKind}).
 *
 * @param error What the driver threw.
 * @returns The kind, or null when the failure is not transient.
 */
export function failureKind(error: unknown): FailureKind {
  if (typeof error !== "object" || error === null) return null;
  // Its cause is a dropped connection, but retrying it could apply a transaction twice.
  if (error instanceof AmbiguousCommitError) return null;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof errno === "string") {
    if (NOT_SENT_STATES.has(errno)) return "not_sent";
    if (DROPPED_STATES.has(errno)) return "dropped";
    if (ROLLED_BACK_STATES.has(errno)) return "rolled_back";
  }
  if (typeof code === "string") {
    if (NOT_SENT_CODES.has(code)) return "not_sent";
    if (DROPPED_CODES.has(code)) return "dropped";
  }
  // drizzle wraps driver errors in a DrizzleQueryError whose cause is the driver's error.
  const cause = (error as { cause?: unknown }).cause;
  return cause === undefined || cause === error ? null : failureKind(cause);
}

/**
 * The connection broke while COMMIT was in flight: the transaction may or may not have
 * committed. Never retried blindly; a caller that can tell by reading (rows that either exist
 * or not) may check and decide.
 */
export class AmbiguousCommitError extends Error {
  /** @param cause What the driver threw. */
  constructor(cause: unknown) {
    super(
      "Cannot tell whether the Postgres transaction committed: the connection broke during COMMIT",
      { cause },
    );
    this.name = "AmbiguousCommitError";
  }
}
