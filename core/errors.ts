/**
 * The error catalogue of docs/api.md#errors as data: one entry per kind of failure, with its HTTP
 * status, its wire code (the body's `error`) and a default human sentence, plus the one error
 * body shape every endpoint answers with.
 *
 * The catalogue is keyed by an internal kind rather than by wire code because one wire code
 * has two statuses: `PROVIDER_ERROR` is 402 when there are no credits and 502 when the
 * provider fails.
 *
 * @module
 */
import { type Static, Type } from "@sinclair/typebox";
import type { ErrorDetail } from "./domain.ts";

/**
 * Every kind of failure the server can answer with.
 *
 * @example
 * ```ts
 * const kind: ErrorKind = "RATE_LIMITED";
 * ```
 */
export type ErrorKind =
  | "VALIDATION_ERROR"
  | "ERR_NO_PERMISSION"
  | "FORBIDDEN"
  | "NO_CREDITS"
  | "CHANNEL_NOT_FOUND"
  | "GONE"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "IDEMPOTENCY_KEY_REUSED"
  | "IDEMPOTENCY_IN_PROGRESS"
  | "RECIPIENT_SUPPRESSED"
  | "WHATSAPP_WINDOW_CLOSED"
  | "RATE_LIMITED"
  | "ATTACHMENT_UNAVAILABLE"
  | "PROVIDER_RATE_LIMITED"
  | "PROVIDER_FAILURE"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INTERNAL";

/**
 * The codes that appear on the wire, in the body's `error` field: the kinds, except that the two
 * provider kinds (no credits, 402; a provider failure, 502) share one code, `PROVIDER_ERROR`.
 *
 * @example
 * ```ts
 * const code: ErrorCode = "PROVIDER_ERROR";
 * ```
 */
export type ErrorCode = Exclude<ErrorKind, "NO_CREDITS" | "PROVIDER_FAILURE"> | "PROVIDER_ERROR";

/**
 * One row of the catalogue.
 *
 * @example
 * ```ts
 * const entry: ErrorCatalogueEntry = { status: 410, code: "GONE", message: "Gone." };
 * ```
 */
export interface ErrorCatalogueEntry {
  status: number;
  /** The body's `error`. */
  code: ErrorCode;
  /** The default human sentence. */
  message: string;
}

/**
 * The send endpoint's error table (README "Sending"), plus the admin API's `FORBIDDEN`,
 * `NOT_FOUND` and `CONFLICT`, and `INTERNAL`.
 *
 * @example
 * ```ts
 * ERROR_CATALOGUE.NO_CREDITS.status; // 402
 * ERROR_CATALOGUE.NO_CREDITS.code; // "PROVIDER_ERROR"
 * ```
 */
export const ERROR_CATALOGUE: Readonly<Record<ErrorKind, ErrorCatalogueEntry>> = {
  VALIDATION_ERROR: {
    status: 400,
    code: "VALIDATION_ERROR",
    message: "The request is invalid; see details.",
  },
  // One sentence for every reason (missing, unknown, rotated, revoked, expired, disabled), so
  // a caller learns nothing about which check failed.
  ERR_NO_PERMISSION: {
    status: 401,
    code: "ERR_NO_PERMISSION",
    message: "Missing or invalid credentials.",
  },
  // A valid admin key asking for what only the operator key may do.
  FORBIDDEN: {
    status: 403,
    code: "FORBIDDEN",
    message: "This admin key may not do that; only the operator key may.",
  },
  NO_CREDITS: {
    status: 402,
    code: "PROVIDER_ERROR",
    message: "This channel has no credits left; nothing was sent.",
  },
  CHANNEL_NOT_FOUND: {
    status: 404,
    code: "CHANNEL_NOT_FOUND",
    message: "The channel of this token was deleted.",
  },
  GONE: {
    status: 410,
    code: "GONE",
    message: "This endpoint was removed; use POST /api/integration/generic.",
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    code: "PAYLOAD_TOO_LARGE",
    message: "The request body is larger than 1 MiB.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    code: "UNSUPPORTED_MEDIA_TYPE",
    message: "Content-Type must be application/json.",
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    code: "IDEMPOTENCY_KEY_REUSED",
    message: "This Idempotency-Key was already used with a different body.",
  },
  IDEMPOTENCY_IN_PROGRESS: {
    status: 409,
    code: "IDEMPOTENCY_IN_PROGRESS",
    message: "A request with this Idempotency-Key is still in progress.",
  },
  RECIPIENT_SUPPRESSED: {
    status: 422,
    code: "RECIPIENT_SUPPRESSED",
    message: "A recipient is on this company's suppression list; nothing was sent.",
  },
  WHATSAPP_WINDOW_CLOSED: {
    status: 422,
    code: "WHATSAPP_WINDOW_CLOSED",
    message:
      "The contact has not written in the last 24 hours: only a template can start the conversation.",
  },
  RATE_LIMITED: {
    status: 429,
    code: "RATE_LIMITED",
    message: "Too many requests for this token; retry after the Retry-After delay.",
  },
  // An e-mail attachment given by `url` could not be fetched within its limits (README "E-mail
  // attachments"); nothing was sent, no credit was taken.
  ATTACHMENT_UNAVAILABLE: {
    status: 422,
    code: "ATTACHMENT_UNAVAILABLE",
    message: "An attachment could not be fetched; nothing was sent. See details.",
  },
  // The channel's send rate (or the provider's own 429) left no turn within the send's wait
  // (README "Throughput, retries, async and scheduled sends"); nothing was sent.
  PROVIDER_RATE_LIMITED: {
    status: 429,
    code: "PROVIDER_RATE_LIMITED",
    message:
      "The channel's provider cannot take another message in time; nothing was sent. Retry after the Retry-After delay, or send with Prefer: respond-async.",
  },
  PROVIDER_FAILURE: {
    status: 502,
    code: "PROVIDER_ERROR",
    message: "The provider did not accept the message.",
  },
  NOT_FOUND: { status: 404, code: "NOT_FOUND", message: "Not found." },
  CONFLICT: {
    status: 409,
    code: "CONFLICT",
    message: "The request conflicts with the current state of the resource.",
  },
  INTERNAL: {
    status: 500,
    code: "INTERNAL",
    message: "An unexpected error occurred.",
  },
};

/**
 * The order in which `POST /api/integration/generic` runs its checks (README "Sending"): a
 * request with several faults gets the first. 401, 404, 429, 415, 413, 400, 409/422
 * (idempotency), 422 suppressed recipient, 422 closed WhatsApp window, 422 e-mail attachment
 * that cannot be fetched, 402, then the provider (429 when its turn does not come in time, 502). Authentication comes first so
 * unauthenticated callers learn nothing about payload rules; recipients are checked before
 * credits so a refused send costs nothing. Attachment URLs are fetched after the idempotency
 * check (a replay fetches nothing) and after the cheap recipient checks.
 *
 * @example
 * ```ts
 * SEND_CHECK_ORDER.map((kind) => ERROR_CATALOGUE[kind].status);
 * // [401, 404, 429, 415, 413, 400, 409, 422, 422, 422, 422, 402, 429, 502]
 * ```
 */
export const SEND_CHECK_ORDER: readonly ErrorKind[] = [
  "ERR_NO_PERMISSION",
  "CHANNEL_NOT_FOUND",
  "RATE_LIMITED",
  "UNSUPPORTED_MEDIA_TYPE",
  "PAYLOAD_TOO_LARGE",
  "VALIDATION_ERROR",
  // One step: the idempotency record is either still running (409) or done with another body (422).
  "IDEMPOTENCY_IN_PROGRESS",
  "IDEMPOTENCY_KEY_REUSED",
  "RECIPIENT_SUPPRESSED",
  "WHATSAPP_WINDOW_CLOSED",
  "ATTACHMENT_UNAVAILABLE",
  "NO_CREDITS",
  "PROVIDER_RATE_LIMITED",
  "PROVIDER_FAILURE",
];

const ErrorDetailSchema = Type.Object({
  path: Type.String({ description: "JSON pointer to the offending field; empty for the root" }),
  message: Type.String(),
});

/**
 * The one error body of every endpoint, as a TypeBox schema (for OpenAPI) and a type.
 *
 * @example
 * ```ts
 * const body: ErrorBody = { error: "GONE", message: "…", requestId: "req_…" };
 * ```
 */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: "Machine-readable code, e.g. VALIDATION_ERROR" }),
    message: Type.String({ description: "Human sentence" }),
    details: Type.Optional(Type.Array(ErrorDetailSchema, { minItems: 1 })),
    provider: Type.Optional(
      Type.Object({ name: Type.String(), code: Type.String(), message: Type.String() }),
    ),
    lastInboundAt: Type.Optional(
      Type.Union([Type.String(), Type.Null()], {
        description:
          "WHATSAPP_WINDOW_CLOSED only: when the contact last wrote (ISO-8601), null if never",
      }),
    ),
    requestId: Type.String({ description: "Equals the x-request-id response header" }),
  },
  { additionalProperties: false },
);
export type ErrorBody = Static<typeof ErrorBody>;

/**
 * Builds the status and body of an error answer.
 *
 * @param kind The catalogue entry to answer with.
 * @param options.requestId The request's id (`req_…`), echoed in the body.
 * @param options.message Replaces the catalogue's default sentence.
 * @param options.details Problems located by JSON pointer; omitted from the body when empty.
 * @param options.provider The provider's own name, code and message (for `PROVIDER_ERROR`).
 * @param options.lastInboundAt When the contact last wrote, ISO-8601 or null (for
 *   `WHATSAPP_WINDOW_CLOSED`); omitted from the body when undefined.
 * @returns The HTTP status and the body.
 *
 * @example
 * ```ts
 * errorBody("VALIDATION_ERROR", {
 *   requestId: "req_01HZ…",
 *   details: [{ path: "/number", message: "must be E.164 digits without +" }],
 * });
 * // { status: 400, body: { error: "VALIDATION_ERROR", message: "…", details: [...], requestId: "req_01HZ…" } }
 * ```
 */
export function errorBody(
  kind: ErrorKind,
  options: {
    requestId: string;
    message?: string;
    details?: ErrorDetail[];
    provider?: { name: string; code: string; message: string };
    lastInboundAt?: string | null;
  },
): { status: number; body: ErrorBody } {
  const entry = ERROR_CATALOGUE[kind];
  const { details, provider, lastInboundAt } = options;
  // Key order follows the example of docs/api.md#errors, so logs and snapshots read the same everywhere.
  const body: ErrorBody = {
    error: entry.code,
    message: options.message ?? entry.message,
    ...(details !== undefined && details.length > 0
      ? { details: details.map((detail) => ({ path: detail.path, message: detail.message })) }
      : {}),
    ...(provider !== undefined
      ? { provider: { name: provider.name, code: provider.code, message: provider.message } }
      : {}),
    ...(lastInboundAt !== undefined ? { lastInboundAt } : {}),
    requestId: options.requestId,
  };
  return { status: entry.status, body };
}
