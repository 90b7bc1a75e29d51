/**
 * Who is calling the admin API (docs/api.md#admin-api): the operator, who may pick any company with
 * `Sendeasy-Company`, or a company key, which sees only its company.
 *
 * @module
 */
import { timingSafeEqual } from "node:crypto";
import type { Company } from "../../core/domain.ts";
import type { CompanyStore } from "../../core/ports/company_store.ts";
import { parseBearer } from "../../core/tokens.ts";
import { sha256Hex } from "./hash.ts";

/**
 * The caller of an admin request, with the company it acts on and the key it used: a stored
 * key's id, or `null` for `SENDEASY_ADMIN_KEY`.
 */
export type AdminCaller =
  | { ok: true; operator: boolean; company: Company; keyId: string | null }
  | { ok: false; code: "ERR_NO_PERMISSION" | "NOT_FOUND"; message?: string };

/**
 * Checks admin keys; the operator key from the environment is compared in constant time.
 * Stored keys are looked up on every request, never remembered: a rotated or revoked key is
 * refused on the very next request, on every instance. A stored operator key (the one the
 * first start generated) stops working once `SENDEASY_ADMIN_KEY` is set.
 */
export class AdminAuth {
  readonly #companies: CompanyStore;
  readonly #envKey: Buffer | null;
  // Companies are never changed or deleted, so a company once read can be remembered: every
  // admin request names one, and under write load each read of it is not free (README
  // "Performance").
  readonly #seen = new Map<string, Company>();
  #default: Company | null = null;

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
    const { keyId } = owner;
    if (owner.companyId !== null) {
      const company = await this.#company(owner.companyId);
      if (company === null) return { ok: false, code: "ERR_NO_PERMISSION" };
      if (companyHeader !== null && companyHeader !== company.id) {
        return { ok: false, code: "NOT_FOUND", message: `Company "${companyHeader}" not found` };
      }
      return { ok: true, operator: false, company, keyId };
    }
    const company =
      companyHeader === null ? await this.#defaultCompany() : await this.#company(companyHeader);
    if (company === null) {
      return {
        ok: false,
        code: "NOT_FOUND",
        message: `Company "${companyHeader ?? "default"}" not found`,
      };
    }
    return { ok: true, operator: true, company, keyId };
  }

  async #company(id: string): Promise<Company | null> {
    const known = this.#seen.get(id);
    if (known !== undefined) return known;
    const company = await this.#companies.getCompany(id);
    if (company !== null) {
      if (this.#seen.size >= 10_000) this.#seen.clear();
      this.#seen.set(id, company);
    }
    return company;
  }

  /** The oldest company; it cannot change once there is one (companies are never deleted). */
  async #defaultCompany(): Promise<Company | null> {
    this.#default ??= await this.#companies.getDefaultCompany();
    return this.#default;
  }

  async #owner(
    key: string,
  ): Promise<{ companyId: string | null; keyId: string | null } | undefined> {
    if (this.#envKey !== null) {
      const given = Buffer.from(key);
      if (given.length === this.#envKey.length && timingSafeEqual(given, this.#envKey)) {
        return { companyId: null, keyId: null };
      }
    }
    const stored = await this.#companies.findAdminKeyByHash(sha256Hex(key));
    if (stored === null || stored.revokedAt !== null) return undefined;
    // SENDEASY_ADMIN_KEY replaces a generated operator key, even before the start retired it.
    if (stored.companyId === null && this.#envKey !== null) return undefined;
    return { companyId: stored.companyId, keyId: stored.id };
  }
}
