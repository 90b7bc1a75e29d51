/**
 * Companies (tenants) and their admin keys.
 *
 * @module
 */
import type { AdminKey, AdminSession, Company } from "../domain.ts";
import type { Page, PageRequest } from "./page.ts";

/** What {@linkcode CompanyStore.ensureDefaults} found or made. */
export interface Defaults {
  /** The default company: the one that existed, or the one given. */
  company: Company;
  /** Whether the given operator key was stored (no operator key existed). */
  operatorKeyCreated: boolean;
}

/** Stores tenants and the hashes of their admin keys. */
export interface CompanyStore {
  createCompany(company: Company): Promise<void>;
  getCompany(id: string): Promise<Company | null>;
  listCompanies(page: PageRequest): Promise<Page<Company>>;
  /** The oldest company: the default one created on first start. */
  getDefaultCompany(): Promise<Company | null>;
  createAdminKey(key: AdminKey): Promise<void>;
  /** Finds an admin key by the SHA-256 hex hash of its secret, revoked or not. */
  findAdminKeyByHash(hash: string): Promise<AdminKey | null>;
  /** Whether a working (not revoked) operator key (`companyId: null`) is stored. */
  hasOperatorKey(): Promise<boolean>;
  /**
   * Stores `key` and, in the same transaction, revokes every other working key of its owner
   * (its company, or the operator when `companyId` is null) as of `key.createdAt`: after
   * rotation the new key is the owner's only working key.
   */
  rotateAdminKey(key: AdminKey): Promise<void>;
  /** Revokes every working stored operator key as of `at` (`SENDEASY_ADMIN_KEY` replaces them). */
  revokeOperatorKeys(at: Date): Promise<void>;
  /** Stores a new settings-page session (and forgets sessions already expired). */
  openSession(session: AdminSession): Promise<void>;
  /**
   * The session `id` if it is open at `now`: not ended, not expired, and the stored key it was
   * opened with (if any) not revoked; otherwise null.
   */
  findOpenSession(id: string, now: Date): Promise<AdminSession | null>;
  /** Ends the session `id` as of `at` (signing out); nothing happens for an unknown id. */
  endSession(id: string, at: Date): Promise<void>;
  /**
   * The first start's defaults in one atomic step: stores `company` when no company exists,
   * and `operatorKey` (when given) when no working operator key exists. Instances starting
   * together create one default company and at most one operator key.
   */
  ensureDefaults(company: Company, operatorKey: AdminKey | null): Promise<Defaults>;
}
