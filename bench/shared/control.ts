/**
 * The line protocol every bench process speaks with the harness
 * (bench/README.md#processes-cpu-and-profiles).
 *
 * @module
 */

export interface ControlOptions {
  /** Extra fields for the `stats` answer (e.g. SQLite group-commit counters). */
  stats?: () => Record<string, unknown>;
  /** Cleanup before exiting (stop the server, remove the temp dir). */
  close?: () => Promise<void> | void;
}

const say = (value: Record<string, unknown>): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};

function heap(): Record<string, number> {
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal };
}

/**
 * Announces the target and serves control commands until `exit` or stdin closes.
 *
 * @param ready what the harness needs (`url`, and e.g. `token`)
 */
export async function announceAndServe(
  ready: { url: string } & Record<string, unknown>,
  options: ControlOptions = {},
): Promise<void> {
  say({ ...ready, pid: process.pid });
  for await (const line of console) {
    const command = line.trim();
    if (command === "gc") {
      Bun.gc(true);
      say({ ok: true, ...heap() });
    } else if (command === "stats") {
      say({ ok: true, ...heap(), ...(options.stats?.() ?? {}) });
    } else if (command === "exit") {
      break;
    } else if (command !== "") {
      say({ ok: false, error: `unknown command ${command}` });
    }
  }
  await options.close?.();
  say({ ok: true, exiting: true });
  process.exit(0);
}

/** The backend variables the harness sets (`bench/shared/backend.ts`); nothing else is read. */
const BACKEND_VARS = [
  "SENDEASY_DATA_DIR",
  "DATABASE_URL",
  "REDIS_URL",
  "SENDEASY_REDIS_PREFIX",
  "SENDEASY_SECRET_KEY",
] as const;

/** The backend part of `startServer`'s environment, as the harness gave it. */
export function backendEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of BACKEND_VARS) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  if (env.SENDEASY_DATA_DIR === undefined) {
    throw new Error(
      "SENDEASY_DATA_DIR is not set: start this target through bench/shared/backend.ts",
    );
  }
  return env;
}
