/**
 * `Retry-After` as every answer sends it: a whole number of seconds from 1 to 86 400, however
 * far off (or unknowable) the wait a limiter computed.
 *
 * @module
 */

/** A day: no limit this server sets makes a client wait longer. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

/**
 * @param waitMs the wait in milliseconds (any number, even NaN or Infinity)
 * @returns the header value
 * @example
 * retryAfterHeader(1_500);   // "2"
 * retryAfterHeader(9.99e302); // "86400"
 */
export function retryAfterHeader(waitMs: number): string {
  if (Number.isNaN(waitMs)) return String(MAX_RETRY_AFTER_SECONDS);
  const seconds = Math.ceil(waitMs / 1000);
  return String(Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, seconds)));
}
