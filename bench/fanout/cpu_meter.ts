/**
 * The fan-out's CPU notes: the servers', the receivers' and, on Postgres, the database's and
 * Redis's share of a core (bench/README.md#processes-cpu-and-profiles).
 *
 * @module
 */
import { type Provisioned, REDIS_URL } from "../shared/backend.ts";
import { cpuMs, groupMeter, pidsWith } from "../shared/cpu.ts";
import type { Target } from "../shared/proc.ts";
import type { Receivers } from "./receivers.ts";

/**
 * Measures the CPU the servers (each instance), the receivers and, on Postgres, the database's
 * sessions and the Redis server use from now until `done()`.
 */
export function cpuMeter(servers: readonly Target[], receivers: Receivers, backend: Provisioned) {
  const started = performance.now();
  const pids = servers.map((target) => target.pid);
  const serversBefore = pids.map(cpuMs);
  const receiversBefore = cpuMs(receivers.target.pid);
  const postgres = backend.backend === "postgres";
  // A session's command line: "postgres: 15/main: postgres <database> 127.0.0.1(port) idle".
  const sessions = postgres ? groupMeter(() => pidsWith(` ${backend.name} `)) : null;
  const redisPort = new URL(REDIS_URL).port || "6379";
  const redis = postgres ? groupMeter(() => pidsWith(`redis-server 127.0.0.1:${redisPort}`)) : null;
  return {
    /** The note for the table, and the servers' CPU time since the start, in ms. */
    done(): { note: string; serversMs: number } {
      const wall = performance.now() - started;
      const pct = (ms: number) => `${((ms / wall) * 100).toFixed(0)} %`;
      const share = (before: number, pid: number) => pct(cpuMs(pid) - before);
      const each = pids.map((pid, i) => share(serversBefore[i] as number, pid)).join(" + ");
      const services =
        sessions && redis
          ? `, Postgres sessions of this database ${pct(sessions.usedMs())}, redis-server ${pct(redis.usedMs())} (shared)`
          : "";
      const serversMs = pids.reduce(
        (sum, pid, i) => sum + cpuMs(pid) - (serversBefore[i] as number),
        0,
      );
      return {
        note: `CPU (share of one core over ${(wall / 1000).toFixed(2)} s): server${pids.length > 1 ? "s" : ""} ${each}, receivers ${share(receiversBefore, receivers.target.pid)}${services}`,
        serversMs,
      };
    },
  };
}
