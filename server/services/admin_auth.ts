/**
 * Who is calling the admin API (SPEC.md §6): the operator, who may pick any company with
 * `Sendeasy-Company`, or a company key, which sees only its company.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { Company } from "../../core/domain.ts";
import type { CompanyStore } from "../../core/ports/company_store.ts";
import { parseBearer } from "../../core/tokens.ts";
import { sha256Hex } from "./hash.ts";

/** The caller of an admin request, with the company it acts on. */
export type AdminCaller =
  | { ok: true; operator: boolean; company: Company }
  | { ok: false; code: "ERR_NO_PERMISSION" | "NOT_FOUND"; message?: string };

/** Checks admin keys; the operator key from the environment is compared in constant time. */
export class AdminAuth {
  readonly #companies: CompanyStore;
  readonly #envKey: Buffer | null;
  readonly #known = new Map<string, { companyId: string | null }>();

  constructor(companies: CompanyStore, options: { envAdminKey: string | null }) {
    this.#companies = companies;
    this.#envKey = options.envAdminKey === null ? null : Buffer.from(options.envAdminKey);
  }

  /**
   * Resolves the caller from the `Authorization` and `Sendeasy-Company` headers.
   *
   * @returns the caller and its company, or 401 / 404 (unknown company)
   */
  async authenticate(
    authorization: string | null,
    companyHeader: string | null,
  ): Promise<AdminCaller> {
    const bearer = parseBearer(authorization);
    if (!bearer.ok) return { ok: false, code: "ERR_NO_PERMISSION" };
    const owner = await this.#owner(bearer.token);
    if (owner === undefined) return { ok: false, code: "ERR_NO_PERMISSION" };
    if (owner.companyId !== null) {
      const company = await this.#companies.getCompany(owner.companyId);
      if (company === null) return { ok: false, code: "ERR_NO_PERMISSION" };
      if (companyHeader !== null && companyHeader !== company.id) {
        return { ok: false, code: "NOT_FOUND", message: `Company "${companyHeader}" not found` };
      }
      return { ok: true, operator: false, company };
    }
    const company =
      companyHeader === null
        ? await this.#companies.getDefaultCompany()
        : await this.#companies.getCompany(companyHeader);
    if (company === null) {
      return {
        ok: false,
        code: "NOT_FOUND",
        message: `Company "${companyHeader ?? "default"}" not found`,
      };
    }
    return { ok: true, operator: true, company };
  }

  async #owner(key: string): Promise<{ companyId: string | null } | undefined> {
    if (this.#envKey !== null) {
      const given = Buffer.from(key);
      if (given.length === this.#envKey.length && timingSafeEqual(given, this.#envKey)) {
        return { companyId: null };
      }
    }
    const hash = sha256Hex(key);
    const cached = this.#known.get(hash);
    if (cached !== undefined) return cached;
    const stored = await this.#companies.findAdminKeyByHash(hash);
    if (stored === null) return undefined;
    // Admin keys are never rotated or deleted, so a found key can be remembered.
    const owner = { companyId: stored.companyId };
    this.#known.set(hash, owner);
    return owner;
  }
}
