import { afterAll, test } from "bun:test";
import { runOperationsContract } from "../../contracts/operations_contract.ts";
import {
  createTestDatabase,
  makePostgresHarness,
  openTestStore,
  POSTGRES_ADMIN_URL,
  probePostgres,
} from "../../support/postgres_harness.ts";

// With CI=true the Postgres tests must run: a missing server fails the suite.
const CI = process.env.CI === "true";
const probe = await probePostgres();

test.skipIf(!probe.ok && !CI)(`Postgres answers at ${POSTGRES_ADMIN_URL}`, () => {
  if (!probe.ok) throw new Error(`Cannot reach Postgres: ${probe.reason}`);
});

if (probe.ok) {
  const db = await createTestDatabase();
  afterAll(() => db.drop());
  runOperationsContract("postgres", async () => {
    const harness = await makePostgresHarness(db);
    return {
      ...harness,
      openSecond: async () => {
        const second = await openTestStore(db);
        return { store: second, close: () => second.close() };
      },
    };
  });
}
