import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runSuppressionContract } from "../../contracts/suppression_contract.ts";
import { makeSqliteHarness } from "./_sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-suppressions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runSuppressionContract("sqlite", () => makeSqliteHarness(dir));
runSuppressionContract("sqlite inline writer", () => makeSqliteHarness(dir, { writer: "inline" }));
