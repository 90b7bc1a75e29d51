/**
 * Child process of the SQLite claim tests: opens the store at `path` and claims deliveries
 * due at `now` (Unix ms) with a lease of `leaseMs`.
 *
 * - `crash`: one claim of `limit`, prints the claimed ids as JSON, then dies by SIGKILL
 *   before settling anything.
 * - `drain`: prints `ready`, waits for a line on stdin (so racers start together), claims
 *   `limit` at a time until nothing is due, prints every claimed id as JSON, exits.
 *
 * Usage: bun test/adapters/store/_claim_worker.ts <crash|drain> <path> <base64 key> <now> <leaseMs> <limit>
 */
import { SecretBox } from "../../../../adapters/crypto/secret_box.ts";
import { createSqliteStore } from "../../../../adapters/store/sqlite/mod.ts";

const [mode, path, key, nowText, leaseText, limitText] = process.argv.slice(2);
if (path === undefined || key === undefined || limitText === undefined) {
  throw new Error("usage: _claim_worker.ts <crash|drain> <path> <key> <now> <leaseMs> <limit>");
}
const store = createSqliteStore({ path, secretBox: await SecretBox.fromKey(key) });
const options = {
  now: new Date(Number(nowText)),
  leaseMs: Number(leaseText),
  limit: Number(limitText),
};

if (mode === "crash") {
  const claims = await store.deliveries.claimDue(options);
  process.stdout.write(`${JSON.stringify(claims.map((c) => c.delivery.id))}\n`);
  process.kill(process.pid, "SIGKILL");
} else {
  process.stdout.write("ready\n");
  await new Promise((resolve) => process.stdin.once("data", resolve));
  const claimed: string[] = [];
  for (;;) {
    const claims = await store.deliveries.claimDue(options);
    if (claims.length === 0) break;
    claimed.push(...claims.map((c) => c.delivery.id));
  }
  await store.close();
  process.stdout.write(`${JSON.stringify(claimed)}\n`);
  process.exit(0);
}
