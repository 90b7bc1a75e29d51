/**
 * JSON-lines logging (docs/configuration.md). Callers pass only fields they know to be safe: tokens,
 * keys and provider secrets are never handed to the logger.
 *
 * @module
 */

export type LogLevel = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

/** A minimal structured logger writing one JSON object per line. */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel | "silent", number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

/**
 * Creates a logger writing to `write` (stdout by default).
 *
 * @param level the lowest level written
 * @param options.write where lines go (default: stdout)
 * @returns the logger
 * @example
 * const log = createLogger("info");
 * log.info("listening", { port: 3000 });
 */
export function createLogger(
  level: LogLevel | "silent",
  options: { write?: (line: string) => void } = {},
): Logger {
  const write = options.write ?? ((line: string) => process.stdout.write(line));
  const min = RANK[level];
  const emit = (lvl: LogLevel, msg: string, fields?: LogFields): void => {
    if (RANK[lvl] < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg, ...fields })}\n`);
  };
  return {
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
  };
}
