/**
 * {@linkcode CompanyStore} on Postgres.
 *
 * @module
 */
import { and, asc, desc, eq, gt, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import type { AdminKey, AdminSession, Company } from "../../../core/domain.ts";
import type { CompanyStore, Defaults } from "../../../core/ports/company_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { fetchSize, toPage } from "../_page.ts";
import { adminKeyFromRow, companyFromRow } from "./_rows.ts";
import type { PgRunner } from "./pg_runner.ts";
import { adminKeys } from "./schema/admin_keys.ts";
import { adminSessions } from "./schema/admin_sessions.ts";
import { companies } from "./schema/companies.ts";

/** Key of the advisory lock held while the first start's defaults are made ("defaults"). */
const DEFAULTS_LOCK = 0x64656661756c7473n;

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
    await this.#db.write((db) => db.insert(adminKeys).values(key));
  }

  async findAdminKeyByHash(hash: string): Promise<AdminKey | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(adminKeys).where(eq(adminKeys.hash, hash)),
    );
    return row === undefined ? null : adminKeyFromRow(row);
  }

  /**
   * Runs under a transaction-level advisory lock, so instances starting together take turns
   * and the later ones find what the first created.
   */
  ensureDefaults(company: Company, operatorKey: AdminKey | null): Promise<Defaults> {
    return this.#db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEFAULTS_LOCK})`);
      const [oldest] = await tx
        .select()
        .from(companies)
        .orderBy(asc(companies.createdAt), asc(companies.id))
        .limit(1);
      if (oldest === undefined) {
        await tx
          .insert(companies)
          .values({ id: company.id, name: company.name, createdAt: company.createdAt });
      }
      let operatorKeyCreated = false;
      if (operatorKey !== null) {
        const working = await tx
          .select({ id: adminKeys.id })
          .from(adminKeys)
          .where(and(isNull(adminKeys.companyId), isNull(adminKeys.revokedAt)))
          .limit(1);
        if (working.length === 0) {
          await tx.insert(adminKeys).values({
            id: operatorKey.id,
            companyId: null,
            hash: operatorKey.hash,
            createdAt: operatorKey.createdAt,
            revokedAt: operatorKey.revokedAt,
          });
          operatorKeyCreated = true;
        }
      }
      return {
        company: oldest === undefined ? company : companyFromRow(oldest),
        operatorKeyCreated,
      };
    });
  }

  async hasOperatorKey(): Promise<boolean> {
    const rows = await this.#db.read((db) =>
      db
        .select({ id: adminKeys.id })
        .from(adminKeys)
        .where(and(isNull(adminKeys.companyId), isNull(adminKeys.revokedAt)))
        .limit(1),
    );
    return rows.length > 0;
  }

  async rotateAdminKey(key: AdminKey): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx
        .update(adminKeys)
        .set({ revokedAt: key.createdAt })
        .where(and(ownerIs(key.companyId), isNull(adminKeys.revokedAt)));
      await tx.insert(adminKeys).values(key);
    });
  }

  async revokeOperatorKeys(at: Date): Promise<void> {
    // Setting the same instant again changes nothing: safe to repeat.
    await this.#db.write(
      (db) =>
        db
          .update(adminKeys)
          .set({ revokedAt: at })
          .where(and(ownerIs(null), isNull(adminKeys.revokedAt))),
      { idempotent: true },
    );
  }

  async openSession(session: AdminSession): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.delete(adminSessions).where(lt(adminSessions.expiresAt, session.createdAt));
      await tx.insert(adminSessions).values(session);
    });
  }

  async findOpenSession(id: string, now: Date): Promise<AdminSession | null> {
    const [row] = await this.#db.read((db) =>
      db
        .select({ session: adminSessions })
        .from(adminSessions)
        .leftJoin(adminKeys, eq(adminKeys.id, adminSessions.keyId))
        .where(
          and(
            eq(adminSessions.id, id),
            isNull(adminSessions.endedAt),
            gt(adminSessions.expiresAt, now),
            or(isNull(adminSessions.keyId), isNull(adminKeys.revokedAt)),
          ),
        ),
    );
    if (row === undefined) return null;
    const { id: sessionId, keyId, createdAt, expiresAt } = row.session;
    return { id: sessionId, keyId, createdAt, expiresAt };
  }

  async endSession(id: string, at: Date): Promise<void> {
    await this.#db.write(
      (db) =>
        db
          .update(adminSessions)
          .set({ endedAt: at })
          .where(and(eq(adminSessions.id, id), isNull(adminSessions.endedAt))),
      { idempotent: true },
    );
  }
}

/** The keys of one owner: a company, or the operator (`null`). */
function ownerIs(companyId: string | null): SQL {
  return companyId === null ? isNull(adminKeys.companyId) : eq(adminKeys.companyId, companyId);
}
