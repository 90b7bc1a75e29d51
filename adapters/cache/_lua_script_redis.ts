/**
 * A Lua script run with EVALSHA, falling back to EVAL when Redis does not know it (a new
 * connection, a restarted server, `SCRIPT FLUSH`).
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/**
 * One Lua script. The first run on each connection sends the source (EVAL), which also caches
 * it in Redis; later runs on that connection send only the SHA-1 (EVALSHA). A `NOSCRIPT` reply
 * sends the source again. Because a fresh connection starts with EVAL, calls issued together
 * still run in call order after a reconnection: the EVALSHAs that follow the first EVAL on the
 * same connection reach Redis after it.
 *
 * @example
 * ```ts
 * const echo = new RedisLuaScript("return ARGV[1]");
 * await echo.run(redis, [], ["hi"]); // "hi"
 * ```
 */
export class RedisLuaScript {
  readonly #source: string;
  readonly #sha: string;
  /** The connections (sockets) whose Redis has been sent the source. */
  readonly #loadedOn = new WeakSet<object>();

  /** @param source The Lua source; keys come in `KEYS`, arguments in `ARGV`. */
  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  /** The SHA-1 Redis knows the script by. */
  get sha(): string {
    return this.#sha;
  }

  /**
   * Runs the script.
   *
   * @param client A connected client.
   * @param keys The keys the script touches (`KEYS`).
   * @param args The other arguments (`ARGV`).
   * @returns The script's reply, as ioredis maps it.
   * @throws {Error} Whatever Redis or the connection answers, `NOSCRIPT` excepted.
   */
  async run(
    client: Redis,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const socket: object | undefined = client.stream;
    if (socket !== undefined && this.#loadedOn.has(socket)) {
      try {
        return await client.evalsha(this.#sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.includes("NOSCRIPT"))) throw error;
      }
    }
    if (socket !== undefined) this.#loadedOn.add(socket);
    return client.eval(this.#source, keys.length, ...keys, ...args);
  }
}
