/**
 * Write operations of the company store: tenants and admin-key hashes.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { AdminKey, Company } from "../../../../core/domain.ts";
import { adminKeys } from "../schema/admin_keys.ts";
import { companies } from "../schema/companies.ts";

/** The company writes on `db` (see {@linkcode createWriteOps}). */
export function companyOps(db: Database) {
  const orm = drizzle({ client: db });
  return {
    "companies.insert": (company: Company): void => {
      orm
        .insert(companies)
        .values({ id: company.id, name: company.name, createdAt: company.createdAt.getTime() })
        .run();
    },
    "companies.insertAdminKey": (key: AdminKey): void => {
      orm
        .insert(adminKeys)
        .values({
          id: key.id,
          companyId: key.companyId,
          hash: key.hash,
          createdAt: key.createdAt.getTime(),
        })
        .run();
    },
  };
}
