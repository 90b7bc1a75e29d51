/**
 * Companies (tenants) and their admin keys.
 *
 * @module
 */
import type { AdminKey, Company } from "../domain.ts";
import type { Page, PageRequest } from "./page.ts";

/** Stores tenants and the hashes of their admin keys. */
export interface CompanyStore {
  createCompany(company: Company): Promise<void>;
  getCompany(id: string): Promise<Company | null>;
  listCompanies(page: PageRequest): Promise<Page<Company>>;
  /** The oldest company: the default one created on first start. */
  getDefaultCompany(): Promise<Company | null>;
  createAdminKey(key: AdminKey): Promise<void>;
  /** Finds an admin key by the SHA-256 hex hash of its secret. */
  findAdminKeyByHash(hash: string): Promise<AdminKey | null>;
  /** Whether an operator key (`companyId: null`) was ever stored. */
  hasOperatorKey(): Promise<boolean>;
}
