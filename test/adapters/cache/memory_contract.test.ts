/**
 * The cache contracts on the in-process implementations. The embedded idempotency store is the
 * SQLite one (there is no in-memory one): it is what a single instance runs.
 */
import { MemoryRateLimiter } from "../../../adapters/cache/rate_limiter_memory.ts";
import { MemoryTokenCache } from "../../../adapters/cache/token_cache_memory.ts";
import { NoTokenCache } from "../../../adapters/cache/token_cache_none.ts";
import { MemoryWorkSignal } from "../../../adapters/cache/work_signal_memory.ts";
import { SqliteIdempotencyStore } from "../../../adapters/store/sqlite/idempotency_store.ts";
import { migrateSqlite } from "../../../adapters/store/sqlite/migrate_sqlite.ts";
import { openSqlite } from "../../../adapters/store/sqlite/open_sqlite.ts";
import { InlineRunner } from "../../../adapters/store/sqlite/writer/inline_runner.ts";
import { SqliteWriter } from "../../../adapters/store/sqlite/writer/sqlite_writer.ts";
import { runCacheContract } from "../../contracts/cache_contract.ts";
import { runTokenCacheContract } from "../../contracts/token_cache_contract.ts";

runCacheContract("memory", async () => {
  const db = openSqlite(":memory:");
  migrateSqlite(db);
  const writes = new SqliteWriter(new InlineRunner(db));
  const listenerErrors: unknown[] = [];
  const signal = new MemoryWorkSignal({ onListenerError: (error) => listenerErrors.push(error) });
  return {
    limiter: new MemoryRateLimiter(),
    idempotency: new SqliteIdempotencyStore(writes),
    signals: [signal, signal],
    listenerErrors,
    cleanup: async () => {
      await writes.close();
      db.close();
    },
  };
});

runTokenCacheContract(
  "memory",
  async (now) => {
    const cache = new MemoryTokenCache({ ttlMs: 5_000, now });
    return { caches: [cache, cache], cleanup: async () => {} };
  },
  { caches: true },
);

runTokenCacheContract(
  "none",
  async () => ({ caches: [new NoTokenCache(), new NoTokenCache()], cleanup: async () => {} }),
  { caches: false },
);
