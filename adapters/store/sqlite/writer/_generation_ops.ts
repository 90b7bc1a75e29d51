/**
 * Write operations of the change counters (README "Running several instances").
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";

/** The counter writes on `db` (see {@linkcode createWriteOps}). */
export function generationOps(db: Database) {
  const bump: Statement<unknown, [string]> = db.prepare(
    "INSERT INTO change_generations (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = value + 1",
  );
  return {
    "generations.bump": (name: string): void => {
      bump.run(name);
    },
  };
}
