/**
 * The timestamp schema shared by envelopes and public messages.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";

// `Date.prototype.toISOString()` output. A pattern rather than `format: "date-time"`, which
// TypeBox only checks once a format is registered, and core registers nothing globally.
export const IsoDate = Type.String({
  pattern: "^(?:[+-]\\d{2})?\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$",
  description: "ISO-8601 UTC timestamp",
});
