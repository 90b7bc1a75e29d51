import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runOperationsContract } from "../../contracts/operations_contract.ts";
import { makeSqliteHarness } from "../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-operations-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runOperationsContract("sqlite", () => makeSqliteHarness(dir));
runOperationsContract("sqlite inline writer", () => makeSqliteHarness(dir, { writer: "inline" }));
