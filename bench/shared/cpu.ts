/**
 * CPU time from `/proc`, per process and per group of processes
 * (bench/README.md#processes-cpu-and-profiles).
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks (10 ms each) a process has used, user + system, every thread; null once gone. */
function ticksOf(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return null;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  if (!Number.isFinite(ticks)) throw new Error(`no utime/stime in /proc/${pid}/stat`);
  return ticks;
}

/** CPU time a process has used so far, in ms; 0 once it is gone. */
export const cpuMs = (pid: number): number => (ticksOf(pid) ?? 0) * 10;

/**
 * CPU time a process has used so far, in µs; Linux counts it in 10 ms ticks, so measure over
 * seconds.
 *
 * @throws when the process is gone (a measured target must still be running)
 */
export function cpuMicros(pid: number): number {
  const ticks = ticksOf(pid);
  if (ticks === null) throw new Error(`process ${pid} is gone`);
  return ticks * 10_000;
}

/** The processes whose command line contains `text` (e.g. a Postgres session's database). */
export function pidsWith(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * The CPU a set of processes found by `find` uses from now on: `find` runs again at the end,
 * and a process that started meanwhile counts from its start (one that ended is lost).
 */
export function groupMeter(find: () => number[]) {
  const before = new Map(find().map((pid) => [pid, cpuMs(pid)]));
  return {
    usedMs(): number {
      return find().reduce((sum, pid) => sum + cpuMs(pid) - (before.get(pid) ?? 0), 0);
    },
  };
}
