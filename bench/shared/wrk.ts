/**
 * Load generation with Debian's `wrk`: the Lua script, one cell, its report (bench/README.md#send).
 *
 * @module
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";

/** Where generated Lua scripts and profiles go (git-ignored). */
export const WORK_DIR = join(import.meta.dir, "..", ".bench");

/** The `wrk` binary, or a clear message and exit 1. */
export function requireWrk(): string {
  const wrk = Bun.which("wrk");
  if (wrk === null) {
    console.error(
      "bench/send.ts needs wrk (the HTTP load generator) on PATH, and it is missing.\n" +
        "Install it with:  apt-get update && apt-get install -y wrk",
    );
    process.exit(1);
  }
  return wrk;
}

export interface WrkRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
}

/** What a count-limited script prints on stderr when it has seen enough responses. */
const LIMIT_MARKER = "bench: request limit reached";

/** A Lua string literal that needs no escaping (long brackets). */
function luaString(text: string): string {
  let level = "=";
  while (text.includes(`]${level}]`)) level += "=";
  return `[${level}[${text}]${level}]`;
}

/** A written Lua script and how many wrk threads it wants (one per instance). */
export interface WrkScript {
  path: string;
  threads: number;
}

/**
 * Writes the Lua script for `request` and returns it.
 *
 * @param options.ports spread the load over these ports of 127.0.0.1 (several instances): wrk
 *   runs one thread per port, each thread's `addr` set in `setup()` to the next port, so each
 *   instance gets half the connections (with two) and wrk merges the latency histograms of its
 *   threads exactly. Absent: one thread, the URL's host and port.
 * @param options.stopAfter stop after this many responses. wrk has no request-count option,
 *   and a stopped thread still leaves wrk sleeping for its whole `-d`, so a `response` callback
 *   counts (each thread its share), stops its thread and prints {@linkcode LIMIT_MARKER} on
 *   stderr; once every thread has, `runWrk` sends SIGINT, on which wrk reports at once (rates
 *   over the real elapsed time).
 */
export async function writeScript(
  name: string,
  request: WrkRequest,
  options: { stopAfter?: number; ports?: readonly number[] } = {},
): Promise<WrkScript> {
  const ports = options.ports ?? [];
  const threads = Math.max(1, ports.length);
  const lines = [
    `wrk.method = ${luaString(request.method)}`,
    `wrk.body = ${luaString(request.body)}`,
    ...Object.entries(request.headers).map(
      ([key, value]) => `wrk.headers[ ${luaString(key)} ] = ${luaString(value)}`,
    ),
  ];
  if (ports.length > 0) {
    lines.push(
      `local ports = { ${ports.map((port) => `"${port}"`).join(", ")} }`,
      "local started = 0",
      "function setup(thread)",
      "  started = started + 1",
      '  thread.addr = wrk.lookup("127.0.0.1", ports[(started - 1) % #ports + 1])[1]',
      "end",
    );
  }
  if (options.stopAfter !== undefined) {
    lines.push(
      `local limit = ${Math.ceil(options.stopAfter / threads)}`,
      "local seen = 0",
      "function response(status, headers, body)",
      "  seen = seen + 1",
      "  if seen == limit then",
      `    io.stderr:write("${LIMIT_MARKER}\\n")`,
      "    io.stderr:flush()",
      "    wrk.thread:stop()",
      "  end",
      "end",
    );
  }
  mkdirSync(WORK_DIR, { recursive: true });
  const path = join(WORK_DIR, `${name}.lua`);
  await Bun.write(path, `${lines.join("\n")}\n`);
  return { path, threads };
}

export interface WrkResult {
  requests: number;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses with a status ≥ 400 (wrk: "Non-2xx or 3xx responses"). */
  non2xx: number;
  /** connect + read + write + timeout socket errors. */
  socketErrors: number;
  raw: string;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function timeMs(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m|h)$/.exec(text);
  if (match === null) throw new Error(`unreadable wrk time "${text}"`);
  return Number(match[1]) * (UNIT_MS[match[2] as string] ?? Number.NaN);
}

/** Parses wrk's text report (run with `--latency`). */
export function parseWrk(raw: string): WrkResult {
  const need = (pattern: RegExp, what: string): RegExpExecArray => {
    const match = pattern.exec(raw);
    if (match === null) throw new Error(`wrk output has no ${what}:\n${raw}`);
    return match;
  };
  const total = need(/(\d+) requests in ([\d.]+\w+),/, "request count");
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(raw);
  return {
    requests: Number(total[1]),
    seconds: timeMs(total[2] as string) / 1000,
    rps: Number(need(/Requests\/sec:\s+([\d.]+)/, "Requests/sec")[1]),
    p50Ms: timeMs(need(/^\s+50%\s+(\S+)[ \t]*$/m, "50% latency")[1] as string),
    p99Ms: timeMs(need(/^\s+99%\s+(\S+)[ \t]*$/m, "99% latency")[1] as string),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(raw)?.[1] ?? 0),
    socketErrors: socket === null ? 0 : socket.slice(1, 5).reduce((sum, n) => sum + Number(n), 0),
    raw,
  };
}

/**
 * Runs one wrk cell: `wrk -t<threads> -c<connections> -d<duration> --latency -s <script> <url>`,
 * `-t1` for one instance (one thread per instance, never more than the connections).
 */
export async function runWrk(input: {
  wrk: string;
  url: string;
  script: WrkScript;
  connections: number;
  duration: string;
}): Promise<WrkResult> {
  const threads = Math.min(input.script.threads, input.connections);
  const args = [
    input.wrk,
    `-t${threads}`,
    `-c${input.connections}`,
    `-d${input.duration}`,
    "--timeout",
    "5s",
    "--latency",
    "-s",
    input.script.path,
    input.url,
  ];
  const proc = Bun.spawn(args, { stdout: "pipe", stderr: "pipe" });
  const readErr = async (): Promise<string> => {
    const decoder = new TextDecoder();
    let text = "";
    let stopped = 0;
    for await (const chunk of proc.stderr) {
      text += decoder.decode(chunk, { stream: true });
      while (text.includes(LIMIT_MARKER)) {
        text = text.replace(LIMIT_MARKER, "");
        if (++stopped === threads) proc.kill("SIGINT");
      }
    }
    return text.trim();
  };
  const [out, err, code] = await Promise.all([
    new Response(proc.stdout).text(),
    readErr(),
    proc.exited,
  ]);
  // wrk reports a broken Lua script on stderr and then runs plain GETs: never accept that.
  if (code !== 0 || err !== "") throw new Error(`wrk exited ${code}: ${err}\n${out}`);
  return parseWrk(out);
}
