/**
 * Starts a bench process and talks to it over the control protocol; reads its RSS
 * (bench/README.md#processes-cpu-and-profiles).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

export interface Target {
  name: string;
  url: string;
  /** The bearer token (Sendeasy only). */
  token: string | null;
  /** Everything the target announced (e.g. more tokens, a port). */
  announced: Record<string, unknown>;
  pid: number;
  /** Sends one control command (`gc`, `stats`) and returns the target's JSON answer. */
  command(name: "gc" | "stats"): Promise<Record<string, unknown>>;
  /** Asks the target to exit cleanly and waits for it. */
  stop(): Promise<void>;
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffered = "";
  for await (const chunk of stream) {
    buffered += decoder.decode(chunk, { stream: true });
    let newline = buffered.indexOf("\n");
    while (newline >= 0) {
      yield buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      newline = buffered.indexOf("\n");
    }
  }
}

/** How to start a target. */
export interface StartOptions {
  /** Flags for `bun` itself, e.g. `--cpu-prof`. */
  bunFlags?: string[];
  /** Extra environment, over this process's (e.g. a backend's `DATABASE_URL`). */
  env?: Record<string, string>;
}

/**
 * @param script the target's file (absolute), e.g. `bench/send/targets/sendeasy.ts`
 */
export async function startTarget(script: string, options: StartOptions = {}): Promise<Target> {
  const name = basename(script, ".ts");
  const proc = Bun.spawn([process.execPath, ...(options.bunFlags ?? []), script], {
    env: { ...process.env, ...options.env },
    stdin: "pipe",
    stdout: "pipe",
    stderr: "inherit",
  });
  const out = lines(proc.stdout)[Symbol.asyncIterator]();
  const readJson = async (what: string): Promise<Record<string, unknown>> => {
    const next = await out.next();
    if (next.done) {
      throw new Error(`target ${name} exited (code ${await proc.exited}) before ${what}`);
    }
    try {
      return JSON.parse(next.value) as Record<string, unknown>;
    } catch {
      throw new Error(`target ${name} printed a non-JSON line on stdout: ${next.value}`);
    }
  };
  const send = (line: string): void => {
    proc.stdin.write(`${line}\n`);
    proc.stdin.flush();
  };

  const ready = await readJson("announcing its URL");
  return {
    name,
    url: String(ready.url),
    token: typeof ready.token === "string" ? ready.token : null,
    announced: ready,
    pid: proc.pid,
    async command(command) {
      send(command);
      return readJson(`answering ${command}`);
    },
    async stop() {
      send("exit");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** The resident set size of a process in bytes, from `/proc/<pid>/status` (`VmRSS`). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]) * 1024;
}
