/**
 * Real Redis for the cache tests: the shared server (`REDIS_URL`, default 127.0.0.1:6379) and
 * private `redis-server` processes a test may kill and restart. With `CI` set, a missing Redis
 * FAILS the suite; elsewhere the suite is skipped with the reason printed.
 *
 * @module
 */
import { describe, test } from "bun:test";
import { createServer } from "node:net";
import { Redis } from "ioredis";
import { createRedisClient } from "../../adapters/cache/redis_client.ts";

export const REDIS_URL: string = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** True when Redis tests must run (any `CI` but "", "0", "false"). */
export const IN_CI: boolean = !["", "0", "false"].includes(process.env.CI ?? "");

/** Why Redis cannot be used, or null when it can (one attempt, no reconnection). */
async function probe(url: string): Promise<string | null> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1_000,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  // The connect() rejection only says "Connection is closed."; the error event says why.
  let cause: Error | undefined;
  client.on("error", (error: Error) => {
    cause ??= error;
  });
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === "PONG" ? null : `PING answered ${String(answer)}`;
  } catch (error) {
    return cause?.message ?? (error instanceof Error ? error.message : String(error));
  } finally {
    client.disconnect();
  }
}

/** Why the shared Redis cannot be used, or `null` when it answers. */
export const sharedProblem: string | null = await probe(REDIS_URL);
const redisServerBinary = Bun.which("redis-server");

/**
 * `describe` that needs the shared Redis (and, with `privateServer`, the `redis-server` binary).
 * Without them it fails under CI and is skipped, visibly, elsewhere.
 */
export function describeRedis(
  name: string,
  body: () => void,
  options: { privateServer?: boolean } = {},
): void {
  const problem =
    sharedProblem !== null
      ? `Redis is unreachable at ${REDIS_URL} (${sharedProblem})`
      : options.privateServer === true && redisServerBinary === null
        ? "redis-server is not on PATH"
        : null;
  if (problem === null) {
    describe(name, body);
  } else if (IN_CI) {
    describe(name, () => {
      test("has the Redis it needs", () => {
        throw new Error(`Cannot run "${name}": ${problem}; with CI set, Redis tests never skip`);
      });
    });
  } else {
    console.warn(`SKIPPED "${name}": ${problem}. Start Redis, or set CI=true to fail instead.`);
    describe.skip(`${name} [skipped: ${problem}]`, body);
  }
}

/** A key and channel prefix no other test run uses. */
export function randomPrefix(name: string): string {
  return `sendeasy-test:${name}:${crypto.randomUUID().slice(0, 8)}:`;
}

/** Clients built for tests, to close at the end. */
export class RedisClients {
  readonly #clients: Redis[] = [];

  /** A new client (connection errors are expected in restart tests, so they are not printed). */
  open(url: string = REDIS_URL, options: { name?: string } = {}): Redis {
    const client = createRedisClient(url, {
      onError: () => {},
      connectionName: options.name ?? "sendeasy-test",
    });
    this.#clients.push(client);
    return client;
  }

  /** Deletes the keys under `prefix` (on the first client) and disconnects every client. */
  async closeAll(prefix?: string): Promise<void> {
    const first = this.#clients[0];
    if (prefix !== undefined && first?.status === "ready") {
      const keys = await first.keys(`${prefix}*`);
      if (keys.length > 0) await first.del(...keys);
    }
    for (const client of this.#clients.splice(0)) client.disconnect();
  }
}

/** How many connections named `name` Redis has (ioredis's `duplicate()` keeps the name). */
export async function connectionsNamed(client: Redis, name: string): Promise<number> {
  const list = String(await client.client("LIST"));
  return list.split("\n").filter((line) => line.includes(` name=${name} `)).length;
}

/** Resolves once `check()` is true; rejects after `timeoutMs`. */
export async function eventually(
  check: () => boolean,
  options: { timeoutMs?: number; what?: string } = {},
): Promise<number> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 2_000;
  while (!check()) {
    if (performance.now() - started > timeoutMs) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${options.what ?? "a condition"}`,
      );
    }
    await Bun.sleep(2);
  }
  return performance.now() - started;
}

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A `redis-server` of the test's own, on a fixed port, that it may stop and start again. */
export class PrivateRedis {
  readonly port: number;
  #process: ReturnType<typeof Bun.spawn> | undefined;

  private constructor(port: number) {
    this.port = port;
  }

  /** Starts one on a free port. */
  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.restart();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again, on the same port) and waits until it answers PING. */
  async restart(): Promise<void> {
    this.#process = Bun.spawn(
      [
        redisServerBinary ?? "redis-server",
        ...["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      ],
      { stdout: "ignore", stderr: "ignore" },
    );
    const started = performance.now();
    while ((await probe(this.url)) !== null) {
      if (performance.now() - started > 5_000) {
        throw new Error(`Cannot start redis-server on port ${this.port}: no PONG within 5 s`);
      }
      await Bun.sleep(20);
    }
  }

  /** Kills the server (SIGKILL: no goodbye to the clients) and waits for it to exit. */
  async kill(): Promise<void> {
    const process = this.#process;
    this.#process = undefined;
    if (process === undefined) return;
    process.kill("SIGKILL");
    await process.exited;
  }
}
