/**
 * The benches' backend switch: parses `--backend`, `--instances`, `--matrix`, and provisions and
 * drops a setup (bench/README.md#backends).
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SQL } from "bun";
import { Redis } from "ioredis";

export type BackendName = "sqlite" | "postgres";

/** One backend setup: a database and how many Sendeasy instances share it. */
export interface Setup {
  backend: BackendName;
  instances: number;
}

/** What `--matrix` measures, in this order. */
export const MATRIX: readonly Setup[] = [
  { backend: "sqlite", instances: 1 },
  { backend: "postgres", instances: 1 },
  { backend: "postgres", instances: 2 },
];

export const POSTGRES_ADMIN_URL: string =
  process.env.SENDEASY_BENCH_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const REDIS_URL: string = process.env.SENDEASY_BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** "SQLite embedded, 1 instance", "Postgres + Redis, 2 instances". */
export function setupLabel(setup: Setup): string {
  const where = setup.backend === "sqlite" ? "SQLite embedded" : "Postgres + Redis";
  return `${where}, ${setup.instances} instance${setup.instances === 1 ? "" : "s"}`;
}

/** The backend arguments of a bench command line. */
export interface BackendChoice {
  setup: Setup;
  matrix: boolean;
  /** Whether `--backend` or `--instances` was given (they do not mix with `--matrix`). */
  explicit: boolean;
}

export const defaultChoice = (): BackendChoice => ({
  setup: { backend: "sqlite", instances: 1 },
  matrix: false,
  explicit: false,
});

/**
 * Consumes a backend argument at `argv[i]` into `choice`.
 *
 * @returns how many arguments it used: 0 when `argv[i]` is not a backend argument
 */
export function parseBackendArg(argv: string[], i: number, choice: BackendChoice): number {
  const arg = argv[i];
  if (arg === "--matrix") {
    choice.matrix = true;
    return 1;
  }
  const value = argv[i + 1];
  if (arg === "--backend" && value !== undefined) {
    if (value !== "sqlite" && value !== "postgres") fail(`--backend must be sqlite or postgres`);
    choice.setup.backend = value as BackendName;
  } else if (arg === "--instances" && value !== undefined) {
    if (value !== "1" && value !== "2") fail("--instances must be 1 or 2");
    choice.setup.instances = Number(value);
  } else return 0;
  choice.explicit = true;
  return 2;
}

/** Rejects combinations that cannot run; exits 1 with the reason. */
export function checkChoice(choice: BackendChoice): void {
  if (choice.matrix && choice.explicit) {
    fail("--matrix runs every setup itself: drop --backend and --instances");
  }
  if (choice.setup.backend === "sqlite" && choice.setup.instances > 1) {
    fail("SQLite is embedded in one process: several instances need --backend postgres");
  }
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/**
 * Exits 1 with a clear message unless Postgres and Redis answer (only when a setup needs them),
 * before anything is measured.
 */
export async function requireServices(setups: readonly Setup[]): Promise<void> {
  if (!setups.some((setup) => setup.backend === "postgres")) return;
  const problems: string[] = [];
  const admin = adminClient();
  try {
    await admin`SELECT 1`;
  } catch (error) {
    problems.push(`Postgres at ${POSTGRES_ADMIN_URL}: ${String(error)}`);
  } finally {
    await admin.close();
  }
  const redis = redisClient();
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    problems.push(`Redis at ${REDIS_URL}: ${String(error)}`);
  } finally {
    redis.disconnect();
  }
  if (problems.length > 0) {
    fail(
      `--backend postgres needs Postgres and Redis (DEVELOPERS.md says how to start them):\n  - ${problems.join("\n  - ")}`,
    );
  }
}

function adminClient(): SQL {
  const database = decodeURIComponent(new URL(POSTGRES_ADMIN_URL).pathname.slice(1));
  return new SQL({ url: POSTGRES_ADMIN_URL, database, max: 1, connectionTimeout: 3 });
}

function redisClient(): Redis {
  return new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 2_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 1,
  });
}

/** The shared environment of one setup's instances, and how to remove what it made. */
export interface Provisioned {
  backend: BackendName;
  /** The variables every instance gets (`SENDEASY_DATA_DIR`, `DATABASE_URL`, …). */
  env: Record<string, string>;
  /** The temp data dir (SQLite) or the database name (Postgres), for logs. */
  name: string;
  /** Removes the data dir, or drops the database and the Redis keys. Idempotent. */
  drop(): Promise<void>;
}

const live = new Set<Provisioned>();
let cleanupOnSignal = false;

/** On Ctrl-C or SIGTERM: drop whatever is still provisioned, then exit. */
function installSignalCleanup(): void {
  if (cleanupOnSignal) return;
  cleanupOnSignal = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, async () => {
      process.stderr.write(`\n${signal}: dropping ${live.size} bench backend(s)\n`);
      for (const provisioned of [...live]) await provisioned.drop().catch(() => undefined);
      process.exit(130);
    });
  }
}

/** Makes a fresh backend for one setup (see the module header). */
export async function provision(backend: BackendName): Promise<Provisioned> {
  installSignalCleanup();
  const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-bench-"));
  let provisioned: Provisioned;
  if (backend === "sqlite") {
    provisioned = {
      backend,
      name: dataDir,
      // Blank, not absent: a DATABASE_URL in the caller's shell must not reach the target.
      env: { SENDEASY_DATA_DIR: dataDir, DATABASE_URL: "", REDIS_URL: "" },
      drop: async () => {
        live.delete(provisioned);
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } else {
    const name = `sendeasy_bench_${randomBytes(6).toString("hex")}`;
    const admin = adminClient();
    await admin.unsafe(`CREATE DATABASE "${name}"`);
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    const prefix = `sendeasy-bench:${name}:`;
    let dropped = false;
    provisioned = {
      backend,
      name,
      env: {
        SENDEASY_DATA_DIR: dataDir,
        DATABASE_URL: url.toString(),
        REDIS_URL,
        SENDEASY_REDIS_PREFIX: prefix,
        // Every instance must share the key that seals provider secrets.
        SENDEASY_SECRET_KEY: randomBytes(32).toString("base64"),
      },
      drop: async () => {
        live.delete(provisioned);
        if (dropped) return;
        dropped = true;
        try {
          await admin.unsafe(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await admin.close();
          await deleteRedisKeys(prefix);
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  }
  live.add(provisioned);
  return provisioned;
}

/** Deletes every Redis key under `prefix` (SCAN, then UNLINK). */
async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = redisClient();
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
