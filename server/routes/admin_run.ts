/**
 * The shared shape of every admin handler: the caller comes from the gate, the use case
 * answers a `Reply`, the route sends it with the request id.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import type { Company } from "../../core/domain.ts";
import { type Reply, toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import type { AdminGate } from "./admin_gate.ts";

/** What an admin use case gets about its caller (`keyId`: see `AdminCallerInfo`). */
export type AdminCtx = {
  company: Company;
  operator: boolean;
  keyId: string | null;
  requestId: string;
};

/** Builds the wrapper admin routes use. */
export function adminRunner(gate: AdminGate, requestIds: RequestIds) {
  return async (
    request: Request,
    use: (ctx: AdminCtx) => Promise<Reply> | Reply,
  ): Promise<Response> => {
    const requestId = requestIds.of(request);
    const { company, operator, keyId } = gate.caller(request);
    return toResponse(await use({ company, operator, keyId, requestId }), requestId);
  };
}

/** The header an operator key uses to act for one company (docs/api.md#admin-api). */
export const AdminHeaders = Type.Object({
  "sendeasy-company": Type.Optional(
    Type.String({
      description:
        "Operator key only: the company (co_…) to act for; the default company otherwise",
    }),
  ),
});

/** OpenAPI details of an admin route, and the headers it reads besides `Authorization`. */
export function adminDoc(tag: string, summary: string) {
  return {
    headers: AdminHeaders,
    detail: { tags: [tag], summary, security: [{ adminKey: [] }] },
  };
}
