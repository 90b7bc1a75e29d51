/**
 * Authenticates every `/api/admin/*` request before its body is parsed or validated, so an
 * unauthenticated caller learns nothing (docs/api.md#admin-api: a missing or wrong key is 401).
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { errorReply, toResponse } from "../http/reply.ts";
import type { RequestIds } from "../http/request_ids.ts";
import type { AdminAuth } from "../services/admin_auth.ts";

/** The authenticated admin caller of a request. */
export interface AdminCallerInfo {
  operator: boolean;
  company: Company;
  /** The stored key it used, or `null` for `SENDEASY_ADMIN_KEY`. */
  keyId: string | null;
}

export class AdminGate {
  readonly #auth: AdminAuth;
  readonly #requestIds: RequestIds;
  readonly #callers = new WeakMap<Request, AdminCallerInfo>();

  constructor(auth: AdminAuth, requestIds: RequestIds) {
    this.#auth = auth;
    this.#requestIds = requestIds;
  }

  /** Runs in `onRequest`: a `Response` stops the request; `undefined` lets it through. */
  async check(request: Request, pathname: string): Promise<Response | undefined> {
    if (!pathname.startsWith("/api/admin/") && pathname !== "/api/admin") return undefined;
    const caller = await this.#auth.authenticate(
      request.headers.get("authorization"),
      request.headers.get("sendeasy-company"),
    );
    if (!caller.ok) {
      const requestId = this.#requestIds.of(request);
      return toResponse(
        errorReply(caller.code, {
          requestId,
          ...(caller.message === undefined ? {} : { message: caller.message }),
        }),
        requestId,
      );
    }
    const { operator, company, keyId } = caller;
    this.#callers.set(request, { operator, company, keyId });
    return undefined;
  }

  /** The caller `check` let through; throws if a route forgot to sit behind the gate. */
  caller(request: Request): AdminCallerInfo {
    const caller = this.#callers.get(request);
    if (caller === undefined)
      throw new Error("Cannot serve admin route: request did not pass the admin gate");
    return caller;
  }
}
