/**
 * Companies and their admin keys (docs/api.md#admin-api), and the first start's defaults.
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { generateToken } from "../../core/tokens.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";
import { sha256Hex } from "./hash.ts";
import { companyView } from "./views.ts";

/** Admin keys look like tokens with their own prefix, so a leaked one is recognisable. */
export function newAdminKey(deps: Pick<AdminDeps, "random">): string {
  return `sk_${generateToken(deps.random).slice(3)}`;
}

export async function createCompany(deps: AdminDeps, input: { name: string }): Promise<Reply> {
  const now = new Date(deps.clock.now());
  const company: Company = { id: deps.ids("company"), name: input.name, createdAt: now };
  await deps.companies.createCompany(company);
  const adminKey = newAdminKey(deps);
  await deps.companies.createAdminKey({
    id: deps.ids("adminKey"),
    companyId: company.id,
    hash: sha256Hex(adminKey),
    createdAt: now,
    revokedAt: null,
  });
  return jsonReply(201, { company: companyView(company), adminKey });
}

export async function listCompanies(
  deps: AdminDeps,
  query: { limit?: number; cursor?: string },
): Promise<Reply> {
  const page = await deps.companies.listCompanies(pageOf(query));
  return jsonReply(200, { data: page.data.map(companyView), nextCursor: page.nextCursor });
}

export function operatorOnly(requestId: string): Reply {
  return errorReply("ERR_NO_PERMISSION", {
    requestId,
    message: "Only the operator key may manage companies",
  });
}

/**
 * First start on an empty database: the default company, and an operator key when
 * `SENDEASY_ADMIN_KEY` is unset and none works (returned so the caller prints it once; only its
 * hash is kept). Once `SENDEASY_ADMIN_KEY` is set, a generated operator key is retired. One
 * atomic store call makes both, so instances starting together make one of each and only the
 * one whose key was stored prints it.
 */
export async function ensureDefaults(
  deps: Pick<AdminDeps, "companies" | "ids" | "clock" | "random">,
  options: { envAdminKey: string | null },
): Promise<{ company: Company; generatedAdminKey: string | null }> {
  const now = new Date(deps.clock.now());
  const company: Company = { id: deps.ids("company"), name: "Default", createdAt: now };
  if (options.envAdminKey !== null) {
    const defaults = await deps.companies.ensureDefaults(company, null);
    await deps.companies.revokeOperatorKeys(now);
    return { company: defaults.company, generatedAdminKey: null };
  }
  const candidate = newAdminKey(deps);
  const defaults = await deps.companies.ensureDefaults(company, {
    id: deps.ids("adminKey"),
    companyId: null,
    hash: sha256Hex(candidate),
    createdAt: now,
    revokedAt: null,
  });
  return {
    company: defaults.company,
    generatedAdminKey: defaults.operatorKeyCreated ? candidate : null,
  };
}
