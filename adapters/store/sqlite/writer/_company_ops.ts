/**
 * Write operations of the company store: tenants and admin-key hashes.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { and, asc, eq, isNull, lt, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { AdminKey, AdminSession, Company } from "../../../../core/domain.ts";
import type { Defaults } from "../../../../core/ports/company_store.ts";
import { companyFromRow } from "../_rows.ts";
import { adminKeys } from "../schema/admin_keys.ts";
import { adminSessions } from "../schema/admin_sessions.ts";
import { companies } from "../schema/companies.ts";

/** The company writes on `db` (see {@linkcode createWriteOps}). */
export function companyOps(db: Database) {
  const orm = drizzle({ client: db });
  const insertCompany = (company: Company): void => {
    orm
      .insert(companies)
      .values({ id: company.id, name: company.name, createdAt: company.createdAt.getTime() })
      .run();
  };
  return {
    "companies.insert": insertCompany,
    /**
     * The first start's defaults, read and written in one `BEGIN IMMEDIATE` transaction:
     * processes starting together on one file take turns, so the later ones find them.
     */
    "companies.ensureDefaults": (company: Company, operatorKey: AdminKey | null): Defaults => {
      const oldest = orm
        .select()
        .from(companies)
        .orderBy(asc(companies.createdAt), asc(companies.id))
        .limit(1)
        .get();
      if (oldest === undefined) insertCompany(company);
      let operatorKeyCreated = false;
      if (operatorKey !== null) {
        const working = orm
          .select({ id: adminKeys.id })
          .from(adminKeys)
          .where(and(ownerIs(null), isNull(adminKeys.revokedAt)))
          .limit(1)
          .get();
        if (working === undefined) {
          orm.insert(adminKeys).values(keyValues(operatorKey)).run();
          operatorKeyCreated = true;
        }
      }
      return {
        company: oldest === undefined ? company : companyFromRow(oldest),
        operatorKeyCreated,
      };
    },
    "companies.insertAdminKey": (key: AdminKey): void => {
      orm.insert(adminKeys).values(keyValues(key)).run();
    },
    "companies.rotateAdminKey": (key: AdminKey): void => {
      orm
        .update(adminKeys)
        .set({ revokedAt: key.createdAt.getTime() })
        .where(and(ownerIs(key.companyId), isNull(adminKeys.revokedAt)))
        .run();
      orm.insert(adminKeys).values(keyValues(key)).run();
    },
    "companies.revokeOperatorKeys": (at: Date): void => {
      orm
        .update(adminKeys)
        .set({ revokedAt: at.getTime() })
        .where(and(ownerIs(null), isNull(adminKeys.revokedAt)))
        .run();
    },
    "companies.openSession": (session: AdminSession): void => {
      const now = session.createdAt.getTime();
      orm.delete(adminSessions).where(lt(adminSessions.expiresAt, now)).run();
      orm
        .insert(adminSessions)
        .values({
          id: session.id,
          keyId: session.keyId,
          createdAt: now,
          expiresAt: session.expiresAt.getTime(),
        })
        .run();
    },
    "companies.endSession": (id: string, at: Date): void => {
      orm
        .update(adminSessions)
        .set({ endedAt: at.getTime() })
        .where(and(eq(adminSessions.id, id), isNull(adminSessions.endedAt)))
        .run();
    },
  };
}

function keyValues(key: AdminKey) {
  return {
    id: key.id,
    companyId: key.companyId,
    hash: key.hash,
    createdAt: key.createdAt.getTime(),
    revokedAt: key.revokedAt?.getTime() ?? null,
  };
}

/** The keys of one owner: a company, or the operator (`null`). */
function ownerIs(companyId: string | null): SQL {
  return companyId === null ? isNull(adminKeys.companyId) : eq(adminKeys.companyId, companyId);
}
