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
  // Companies are never changed or deleted, so a company once read can be remembered: every
  // admin request names one, and under write load each read of it cost about 10 µs.
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
    if (owner.companyId !== null) {
      const company = await this.#company(owner.companyId);
      if (company === null) return { ok: false, code: "ERR_NO_PERMISSION" };
      if (companyHeader !== null && companyHeader !== company.id) {
        return { ok: false, code: "NOT_FOUND", message: `Company "${companyHeader}" not found` };
      }
      return { ok: true, operator: false, company };
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
    return { ok: true, operator: true, company };
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
