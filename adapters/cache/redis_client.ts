/**
 * Building the ioredis client the Redis adapters expect, and the one way they call it: only
 * while connected, and never for longer than a deadline (docs/configuration.md: Redis is optional and
 * the database stays the source of truth, so a Redis outage must degrade, not stall, a send).
 *
 * @module
 */
import { Redis } from "ioredis";

/** Options of {@linkcode createRedisClient}. */
export interface RedisClientOptions {
  /** Shown by `CLIENT LIST` (default `"sendeasy"`). */
  connectionName?: string;
  /** Longest wait between reconnection attempts, in ms (default 1 000). */
  reconnectMaxMs?: number;
  /** Longest wait for a TCP connection, in ms (default 2 000). */
  connectTimeoutMs?: number;
  /** Receives connection errors, also those of the subscriber connections the adapters duplicate from it (default: none, so ioredis prints them itself). */
  onError?: (error: Error) => void;
}

/**
 * Builds an ioredis client that reconnects forever, quickly (attempts at most
 * `reconnectMaxMs` apart), so the adapters recover within about a second of Redis coming back.
 *
 * @param url A `redis://` or `rediss://` URL (`REDIS_URL`).
 * @param options See {@linkcode RedisClientOptions}.
 * @returns A client that is already connecting; the caller closes it with `quit()`.
 *
 * @example
 * ```ts
 * const redis = createRedisClient(env.REDIS_URL, { onError: (e) => logger.warn("redis", { error: e.message }) });
 * const limiter = new RedisRateLimiter(redis);
 * ```
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const reconnectMaxMs = options.reconnectMaxMs ?? 1_000;
  const client = new Redis(url, {
    connectionName: options.connectionName ?? "sendeasy",
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    retryStrategy: (times: number) => Math.min(times * 50, reconnectMaxMs),
  });
  if (options.onError !== undefined) client.on("error", options.onError);
  return client;
}

/** Options of {@linkcode boundedRedisCall}. */
export interface BoundedCallOptions {
  /** What the call does, for error messages: `"claim idempotency key \"k1\""`. */
  action: string;
  /** Deadline of the call, in ms. */
  timeoutMs: number;
}

/**
 * Runs `call` if `client` is connected and settles within `timeoutMs`. A disconnected client
 * rejects at once instead of queueing the command (a queued command would run late, after
 * its caller gave up, and the queue would grow for as long as Redis is down). A client whose
 * TCP connection is up but whose handshake is in flight (status `"connect"`, milliseconds)
 * counts as connected: ioredis sends the command as soon as the handshake ends.
 *
 * @param client The client `call` uses.
 * @param call Sends the command(s); runs only when the client is ready.
 * @param options See {@linkcode BoundedCallOptions}.
 * @returns What `call` resolves to.
 * @throws {Error} `Cannot <action>: Redis is not connected (status "reconnecting")`, `Cannot
 *   <action>: Redis did not answer within 50 ms`, or `Cannot <action>: <Redis error>`.
 *
 * @example
 * ```ts
 * await boundedRedisCall(redis, () => redis.publish(channel, payload), { action: "publish", timeoutMs: 500 });
 * ```
 */
export function boundedRedisCall<T>(
  client: Redis,
  call: () => Promise<T>,
  options: BoundedCallOptions,
): Promise<T> {
  const { action, timeoutMs } = options;
  if (client.status !== "ready" && client.status !== "connect") {
    // A lazy client only connects on a command: start it, so the next call may succeed.
    if (client.status === "wait") client.connect().catch(() => {});
    return Promise.reject(
      new Error(`Cannot ${action}: Redis is not connected (status "${client.status}")`),
    );
  }
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Cannot ${action}: Redis did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
    call().then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        const reason = error instanceof Error ? error.message : String(error);
        reject(new Error(`Cannot ${action}: ${reason}`, { cause: error }));
      },
    );
  });
}

/**
 * Waits until `client` is ready (connecting it if it is lazy).
 *
 * @param client The client.
 * @param options.timeoutMs how long to wait (default 5 000 ms)
 * @throws {Error} `Cannot connect to Redis: not ready within 5000 ms (status "reconnecting")`.
 *
 * @example
 * ```ts
 * await untilRedisReady(redis, { timeoutMs: 2_000 });
 * ```
 */
export function untilRedisReady(
  client: Redis,
  options: { timeoutMs?: number } = {},
): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  if (client.status === "wait") client.connect().catch(() => {});
  const timeoutMs = options.timeoutMs ?? 5_000;
  return new Promise<void>((resolve, reject) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(
        new Error(
          `Cannot connect to Redis: not ready within ${timeoutMs} ms (status "${client.status}")`,
        ),
      );
    }, timeoutMs);
    client.once("ready", onReady);
  });
}

/**
 * A new connection for pub/sub with `client`'s settings. `duplicate()` copies options, not
 * listeners, so its errors are handed to `client`'s "error" listeners; a client without any
 * drops them (ioredis already prints the same connection errors for `client` itself).
 *
 * @param client The client to copy.
 * @returns A new, connecting client; the caller disconnects it.
 *
 * @example
 * ```ts
 * const subscriber = duplicateForSubscribing(redis);
 * ```
 */
export function duplicateForSubscribing(client: Redis): Redis {
  const subscriber = client.duplicate();
  subscriber.on("error", (error: Error) => {
    if (client.listenerCount("error") > 0) client.emit("error", error);
  });
  return subscriber;
}
