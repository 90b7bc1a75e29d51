/**
 * Progress lines on stderr, so stdout keeps only the markdown a bench prints (bench/README.md).
 *
 * @module
 */

/** Writes `line` to stderr. */
export const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
