/**
 * A framework-free HTTP answer, so services return values and only routes touch Elysia.
 *
 * @module
 */
import type { ErrorDetail } from "../../core/domain.ts";
import { type ErrorKind, errorBody } from "../../core/errors.ts";
import type { ProviderFault } from "../../core/ports/providers.ts";

/** What a service answers: the status, the exact JSON text, and extra headers. */
export interface Reply {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

/**
 * The catalogue's error shape as a reply.
 *
 * @param kind the error from core's catalogue
 * @param options.requestId echoed in the body (and the `x-request-id` header by the route)
 * @returns the reply
 * @example
 * errorReply("GONE", { requestId: "req_…", message: "Use POST /api/integration/generic" });
 */
export function errorReply(
  kind: ErrorKind,
  options: {
    requestId: string;
    message?: string;
    details?: ErrorDetail[];
    provider?: ProviderFault;
    lastInboundAt?: string | null;
    headers?: Record<string, string>;
  },
): Reply {
  const { status, body } = errorBody(kind, {
    requestId: options.requestId,
    ...(options.message === undefined ? {} : { message: options.message }),
    ...(options.details === undefined ? {} : { details: options.details }),
    ...(options.provider === undefined ? {} : { provider: options.provider }),
    ...(options.lastInboundAt === undefined ? {} : { lastInboundAt: options.lastInboundAt }),
  });
  return {
    status,
    body: JSON.stringify(body),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  };
}

/** A JSON success reply. */
export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, body: JSON.stringify(value), ...(headers === undefined ? {} : { headers }) };
}

/**
 * Turns a reply into a `Response`, always with `content-type` and `x-request-id`.
 */
export function toResponse(reply: Reply, requestId: string): Response {
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "x-request-id": requestId,
    ...reply.headers,
  };
  if (reply.status === 204) {
    delete headers["content-type"];
    return new Response(null, { status: 204, headers });
  }
  return new Response(reply.body, { status: reply.status, headers });
}
