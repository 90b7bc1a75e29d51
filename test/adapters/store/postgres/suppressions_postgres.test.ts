import { afterAll, test } from "bun:test";
import { runHistoryNoteContract } from "../../../contracts/history_note_contract.ts";
import { runSuppressionContract } from "../../../contracts/suppression_contract.ts";
import {
  createTestDatabase,
  makePostgresHarness,
  POSTGRES_ADMIN_URL,
  probePostgres,
} from "../../../support/postgres_harness.ts";

// With CI=true the Postgres tests must run: a missing server fails the suite.
const CI = process.env.CI === "true";
const probe = await probePostgres();

test.skipIf(!probe.ok && !CI)(`Postgres answers at ${POSTGRES_ADMIN_URL}`, () => {
  if (!probe.ok) throw new Error(`Cannot reach Postgres: ${probe.reason}`);
});

if (probe.ok) {
  const db = await createTestDatabase();
  afterAll(() => db.drop());
  runSuppressionContract("postgres", () => makePostgresHarness(db));
  runHistoryNoteContract("postgres", () => makePostgresHarness(db));
}
