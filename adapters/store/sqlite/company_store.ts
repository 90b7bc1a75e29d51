/**
 * {@linkcode CompanyStore} on SQLite.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { and, asc, desc, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
import type { AdminKey, AdminSession, Company } from "../../../core/domain.ts";
import type { CompanyStore, Defaults } from "../../../core/ports/company_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { companyFromRow } from "./_rows.ts";
import { adminKeys } from "./schema/admin_keys.ts";
import { adminSessions } from "./schema/admin_sessions.ts";
import { companies } from "./schema/companies.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/**
 * Tenants and admin-key hashes in SQLite.
 *
 * @example
 * ```ts
 * const store = new SqliteCompanyStore(db, writes);
 * ```
 */
export class SqliteCompanyStore implements CompanyStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #writes: SqliteWriter;
  readonly #byHash;
  readonly #byId;
  readonly #default;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer (writes, in call order across stores).
   */
  constructor(db: Database, writes: SqliteWriter) {
    this.#orm = drizzle({ client: db });
    this.#writes = writes;
    this.#byHash = this.#orm
      .select()
      .from(adminKeys)
      .where(eq(adminKeys.hash, sql.placeholder("hash")))
      .prepare();
    // Every admin request reads its company: prepared once, not rebuilt by the query builder.
    this.#byId = this.#orm
      .select()
      .from(companies)
      .where(eq(companies.id, sql.placeholder("id")))
      .prepare();
    this.#default = this.#orm
      .select()
      .from(companies)
      .orderBy(asc(companies.createdAt), asc(companies.id))
      .limit(1)
      .prepare();
  }

  createCompany(company: Company): Promise<void> {
    return this.#writes.write("companies.insert", [company]);
  }

  getCompany(id: string): Promise<Company | null> {
    const row = this.#byId.get({ id });
    return Promise.resolve(row === undefined ? null : companyFromRow(row));
  }

  listCompanies(page: PageRequest): Promise<Page<Company>> {
    const rows = this.#orm
      .select()
      .from(companies)
      .where(page.cursor === undefined ? undefined : lt(companies.id, page.cursor))
      .orderBy(desc(companies.id))
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(toPage(rows.map(companyFromRow), page));
  }

  getDefaultCompany(): Promise<Company | null> {
    const row = this.#default.get();
    return Promise.resolve(row === undefined ? null : companyFromRow(row));
  }

  createAdminKey(key: AdminKey): Promise<void> {
    return this.#writes.write("companies.insertAdminKey", [key]);
  }

  findAdminKeyByHash(hash: string): Promise<AdminKey | null> {
    const row = this.#byHash.get({ hash });
    return Promise.resolve(
      row === undefined
        ? null
        : {
            id: row.id,
            companyId: row.companyId,
            hash: row.hash,
            createdAt: new Date(row.createdAt),
            revokedAt: row.revokedAt === null ? null : new Date(row.revokedAt),
          },
    );
  }

  ensureDefaults(company: Company, operatorKey: AdminKey | null): Promise<Defaults> {
    return this.#writes.write("companies.ensureDefaults", [company, operatorKey]);
  }

  hasOperatorKey(): Promise<boolean> {
    const row = this.#orm
      .select({ id: adminKeys.id })
      .from(adminKeys)
      .where(and(isNull(adminKeys.companyId), isNull(adminKeys.revokedAt)))
      .limit(1)
      .get();
    return Promise.resolve(row !== undefined);
  }

  rotateAdminKey(key: AdminKey): Promise<void> {
    return this.#writes.write("companies.rotateAdminKey", [key]);
  }

  revokeOperatorKeys(at: Date): Promise<void> {
    return this.#writes.write("companies.revokeOperatorKeys", [at]);
  }

  openSession(session: AdminSession): Promise<void> {
    return this.#writes.write("companies.openSession", [session]);
  }

  findOpenSession(id: string, now: Date): Promise<AdminSession | null> {
    const row = this.#orm
      .select({ session: adminSessions })
      .from(adminSessions)
      .leftJoin(adminKeys, eq(adminKeys.id, adminSessions.keyId))
      .where(
        and(
          eq(adminSessions.id, id),
          isNull(adminSessions.endedAt),
          gt(adminSessions.expiresAt, now.getTime()),
          or(isNull(adminSessions.keyId), isNull(adminKeys.revokedAt)),
        ),
      )
      .get();
    if (row === undefined) return Promise.resolve(null);
    const { session } = row;
    return Promise.resolve({
      id: session.id,
      keyId: session.keyId,
      createdAt: new Date(session.createdAt),
      expiresAt: new Date(session.expiresAt),
    });
  }

  endSession(id: string, at: Date): Promise<void> {
    return this.#writes.write("companies.endSession", [id, at]);
  }
}
