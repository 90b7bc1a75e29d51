/**
 * Admin key rotation: the operator rotates any company's key, and a stored key rotates itself.
 * The new key is shown once; the old one is refused from the very next request on every
 * instance (keys are looked up on every request), and the settings-page sessions opened with
 * it end with it.
 *
 * @module
 */

import type { Company } from "../../core/domain.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { newAdminKey } from "./admin_companies.ts";
import type { AdminDeps } from "./admin_deps.ts";
import { sha256Hex } from "./hash.ts";

/** Who asks, and with which key (a stored key's id, or `null` for `SENDEASY_ADMIN_KEY`). */
export interface KeyCaller {
  operator: boolean;
  company: Company;
  keyId: string | null;
  requestId: string;
}

/** `POST /api/admin/companies/:id/keys/rotate` (operator only): `{ adminKey }`. */
export async function rotateCompanyKey(
  deps: AdminDeps,
  caller: KeyCaller,
  companyId: string,
): Promise<Reply> {
  const { requestId } = caller;
  if (!caller.operator) {
    const message =
      "Only the operator key may rotate a company's key; use POST /api/admin/keys/rotate to rotate your own";
    return errorReply("FORBIDDEN", { requestId, message });
  }
  const company = await deps.companies.getCompany(companyId);
  if (company === null) {
    return errorReply("NOT_FOUND", { requestId, message: `Company "${companyId}" not found` });
  }
  return jsonReply(200, { adminKey: await rotate(deps, company.id) });
}

/** `POST /api/admin/keys/rotate`: the caller's own key is replaced; `{ adminKey }`. */
export async function rotateOwnKey(deps: AdminDeps, caller: KeyCaller): Promise<Reply> {
  if (caller.keyId === null) {
    return errorReply("CONFLICT", {
      requestId: caller.requestId,
      message:
        "This is SENDEASY_ADMIN_KEY: change it in the environment of every instance and restart them",
    });
  }
  const owner = caller.operator ? null : caller.company.id;
  return jsonReply(200, { adminKey: await rotate(deps, owner) });
}

/** Issues a key for `companyId` (`null`: the operator) and revokes its other keys. */
async function rotate(deps: AdminDeps, companyId: string | null): Promise<string> {
  const adminKey = newAdminKey(deps);
  await deps.companies.rotateAdminKey({
    id: deps.ids("adminKey"),
    companyId,
    hash: sha256Hex(adminKey),
    createdAt: new Date(deps.clock.now()),
    revokedAt: null,
  });
  return adminKey;
}
