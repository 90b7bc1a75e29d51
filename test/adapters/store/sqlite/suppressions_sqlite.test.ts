import { afterAll } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runHistoryNoteContract } from "../../../contracts/history_note_contract.ts";
import { runSuppressionContract } from "../../../contracts/suppression_contract.ts";
import { makeSqliteHarness } from "../../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-suppressions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runSuppressionContract("sqlite", () => makeSqliteHarness(dir));
runSuppressionContract("sqlite inline writer", () => makeSqliteHarness(dir, { writer: "inline" }));
// The message-store write that providers' delay notes need (same issue, same backends).
runHistoryNoteContract("sqlite", () => makeSqliteHarness(dir));
