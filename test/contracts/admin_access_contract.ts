/**
 * The admin-access part of the company store, run against every implementation: key rotation
 * and retirement, and settings-page sessions that end on sign-out or with their key.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import type { AdminKey, AdminSession } from "../../core/domain.ts";
import { at, company, nextId } from "../support/delivery_fixtures.ts";
import type { StoreHarness } from "./store_contract.ts";

const hashOf = (n: number): string => n.toString(16).padStart(64, "0");

function key(companyId: string | null, n: number, createdAt = at(n)): AdminKey {
  return { id: nextId("key"), companyId, hash: hashOf(n), createdAt, revokedAt: null };
}

function session(keyId: string | null, n: number, hours = 8): AdminSession {
  return {
    id: hashOf(1000 + n),
    keyId,
    createdAt: at(n),
    expiresAt: new Date(at(n).getTime() + hours * 3_600_000),
  };
}

/**
 * Registers the admin-access contract for one adapter.
 *
 * @param name The adapter's name, shown in test names.
 * @param makeStore Builds a fresh, empty, migrated store; called before every test.
 */
export function runAdminAccessContract(name: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`${name} admin access contract`, () => {
    let harness: StoreHarness;
    let companies: StoreHarness["store"]["companies"];
    beforeEach(async () => {
      harness = await makeStore();
      companies = harness.store.companies;
    });
    afterEach(() => harness.cleanup());

    test("rotateAdminKey() revokes the owner's other keys, and only the owner's", async () => {
      const a = company("a");
      const b = company("b");
      await companies.createCompany(a);
      await companies.createCompany(b);
      const oldA = key(a.id, 1);
      const keyB = key(b.id, 2);
      const operator = key(null, 3);
      for (const k of [oldA, keyB, operator]) await companies.createAdminKey(k);
      const newA = key(a.id, 4, at(10));
      await companies.rotateAdminKey(newA);
      expect(await companies.findAdminKeyByHash(oldA.hash)).toEqual({ ...oldA, revokedAt: at(10) });
      expect(await companies.findAdminKeyByHash(newA.hash)).toEqual(newA);
      expect(await companies.findAdminKeyByHash(keyB.hash)).toEqual(keyB);
      expect(await companies.findAdminKeyByHash(operator.hash)).toEqual(operator);

      const newOperator = key(null, 5, at(20));
      await companies.rotateAdminKey(newOperator);
      expect((await companies.findAdminKeyByHash(operator.hash))?.revokedAt).toEqual(at(20));
      expect((await companies.findAdminKeyByHash(newA.hash))?.revokedAt).toBeNull();
      expect(await companies.hasOperatorKey()).toBe(true);
    });

    test("revokeOperatorKeys() retires stored operator keys; hasOperatorKey() counts working ones", async () => {
      const co = company();
      await companies.createCompany(co);
      const companyKey = key(co.id, 1);
      const generated = key(null, 2);
      await companies.createAdminKey(companyKey);
      await companies.createAdminKey(generated);
      expect(await companies.hasOperatorKey()).toBe(true);
      await companies.revokeOperatorKeys(at(30));
      expect(await companies.hasOperatorKey()).toBe(false);
      expect((await companies.findAdminKeyByHash(generated.hash))?.revokedAt).toEqual(at(30));
      expect((await companies.findAdminKeyByHash(companyKey.hash))?.revokedAt).toBeNull();
      await companies.revokeOperatorKeys(at(40));
      expect((await companies.findAdminKeyByHash(generated.hash))?.revokedAt).toEqual(at(30));
    });

    test("a session is open until it expires, is ended, or its key is revoked", async () => {
      const co = company();
      await companies.createCompany(co);
      const first = key(co.id, 1);
      await companies.createAdminKey(first);
      const byKey = session(first.id, 1);
      const byEnv = session(null, 2);
      const signedOut = session(first.id, 3);
      for (const s of [byKey, byEnv, signedOut]) await companies.openSession(s);
      expect(await companies.findOpenSession(byKey.id, at(100))).toEqual(byKey);
      expect(await companies.findOpenSession(byEnv.id, at(100))).toEqual(byEnv);
      expect(await companies.findOpenSession(hashOf(9), at(100))).toBeNull();

      await companies.endSession(signedOut.id, at(200));
      expect(await companies.findOpenSession(signedOut.id, at(201))).toBeNull();
      await companies.endSession(hashOf(9), at(200));

      await companies.rotateAdminKey(key(co.id, 4, at(300)));
      expect(await companies.findOpenSession(byKey.id, at(301))).toBeNull();
      expect(await companies.findOpenSession(byEnv.id, at(301))).toEqual(byEnv);
      expect(await companies.findOpenSession(byEnv.id, byEnv.expiresAt)).toBeNull();
    });

    test("opening a session forgets the expired ones", async () => {
      const stale = session(null, 1, 1);
      await companies.openSession(stale);
      expect(await companies.findOpenSession(stale.id, at(2))).toEqual(stale);
      const later = session(null, 2 * 3600 + 1);
      await companies.openSession(later);
      // Asked about a time it was still valid, it is gone: the row itself was deleted.
      expect(await companies.findOpenSession(stale.id, at(2))).toBeNull();
      expect(await companies.findOpenSession(later.id, at(2 * 3600 + 2))).toEqual(later);
    });
  });
}
