/**
 * The single executable for tests: built once per test run (`bun test` runs every file in one
 * process), then started as an operator would, from an empty folder.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { buildExecutable } from "../../scripts/build.ts";

let built: Promise<string> | null = null;

/** The path of `sendeasy` compiled by `scripts/build.ts` (built once per run). */
export function builtExecutable(): Promise<string> {
  built ??= (async () => {
    // About 120 MB: one place, replaced by each run (test/artifacts/ is not versioned).
    const out = join(import.meta.dir, "../artifacts/executable/sendeasy");
    rmSync(out, { force: true });
    await buildExecutable(out);
    return out;
  })();
  return built;
}

/** A running `sendeasy serve`. */
export interface RunningExecutable {
  url: string;
  /** Everything it wrote to stdout and stderr so far. */
  output: () => string;
  /** SIGTERM, then the exit code. */
  stop: () => Promise<number>;
}

/**
 * Runs `binary serve` in `cwd` with only `env` (plus PATH) and waits for its "listening" log
 * line, which names the port it got (`PORT=0`).
 */
export async function serveExecutable(
  binary: string,
  cwd: string,
  env: Record<string, string>,
): Promise<RunningExecutable> {
  const child = Bun.spawn([binary, "serve"], {
    cwd,
    env: { PATH: process.env.PATH ?? "", PORT: "0", HOST: "127.0.0.1", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let text = "";
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
  };
  const pumped = Promise.all([pump(child.stdout), pump(child.stderr)]);
  const port = await new Promise<number>((resolve, reject) => {
    const look = () => {
      const line = text.split("\n").find((l) => l.includes('"sendeasy listening"'));
      if (line !== undefined) return resolve(JSON.parse(line).port as number);
      if (child.exitCode !== null) return reject(new Error(`sendeasy exited:\n${text}`));
      setTimeout(look, 25);
    };
    look();
  });
  return {
    url: `http://127.0.0.1:${port}`,
    output: () => text,
    stop: async () => {
      child.kill("SIGTERM");
      const code = await child.exited;
      await pumped;
      return code;
    },
  };
}

/** Runs one CLI invocation of `binary`; stdout as lines. */
export async function runExecutable(
  binary: string,
  cwd: string,
  env: Record<string, string>,
  args: readonly string[],
): Promise<{ code: number; stdout: string[]; stderr: string }> {
  const child = Bun.spawn([binary, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout: stdout.trimEnd().split("\n"), stderr };
}
