/**
 * CPU accounting from `/proc` for the fan-out notes: how much of a core each process (or group
 * of processes, such as the Postgres sessions of one database) used over a stretch of time.
 *
 * @module
 */
import { readdirSync, readFileSync } from "node:fs";

/** CPU time (user + system) a process has used so far, in ms (100 Hz ticks); 0 once it is gone. */
export function cpuMs(pid: number): number {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return 0;
  }
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
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
