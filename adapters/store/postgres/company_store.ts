/**
 * {@linkcode CompanyStore} on Postgres.
 *
 * @module
 */
import { asc, desc, eq, isNull, lt } from "drizzle-orm";
import type { AdminKey, Company } from "../../../core/domain.ts";
import type { CompanyStore } from "../../../core/ports/company_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { adminKeyFromRow, companyFromRow } from "./_rows.ts";
import type { PgRunner } from "./pg_runner.ts";
import { adminKeys } from "./schema/admin_keys.ts";
import { companies } from "./schema/companies.ts";

/**
 * Tenants and admin-key hashes in Postgres.
 *
 * @example
 * ```ts
 * const store = new PostgresCompanyStore(runner);
 * const co = await store.getDefaultCompany();
 * ```
 */
export class PostgresCompanyStore implements CompanyStore {
  readonly #db: PgRunner;

  /** @param db The pool of a migrated database, with its retry policy. */
  constructor(db: PgRunner) {
    this.#db = db;
  }

  async createCompany(company: Company): Promise<void> {
    await this.#db.write((db) =>
      db
        .insert(companies)
        .values({ id: company.id, name: company.name, createdAt: company.createdAt }),
    );
  }

  async getCompany(id: string): Promise<Company | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(companies).where(eq(companies.id, id)),
    );
    return row === undefined ? null : companyFromRow(row);
  }

  async listCompanies(page: PageRequest): Promise<Page<Company>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(companies)
        .where(page.cursor === undefined ? undefined : lt(companies.id, page.cursor))
        .orderBy(desc(companies.id))
        .limit(fetchSize(page)),
    );
    return toPage(rows.map(companyFromRow), page);
  }

  async getDefaultCompany(): Promise<Company | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(companies).orderBy(asc(companies.createdAt), asc(companies.id)).limit(1),
    );
    return row === undefined ? null : companyFromRow(row);
  }

  async createAdminKey(key: AdminKey): Promise<void> {
    await this.#db.write((db) =>
      db.insert(adminKeys).values({
        id: key.id,
        companyId: key.companyId,
        hash: key.hash,
        createdAt: key.createdAt,
      }),
    );
  }

  async findAdminKeyByHash(hash: string): Promise<AdminKey | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(adminKeys).where(eq(adminKeys.hash, hash)),
    );
    return row === undefined ? null : adminKeyFromRow(row);
  }

  async hasOperatorKey(): Promise<boolean> {
    const rows = await this.#db.read((db) =>
      db.select({ id: adminKeys.id }).from(adminKeys).where(isNull(adminKeys.companyId)).limit(1),
    );
    return rows.length > 0;
  }
}
