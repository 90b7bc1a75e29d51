/**
 * Send pacer shared by every instance through Redis (README "Throughput, retries, async and
 * scheduled sends"): a channel's sends are spaced by its rate whichever instance sends them.
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { PaceDecision, SendPacer } from "../../core/ports/send_pacer.ts";
import { RedisLuaScript } from "./_lua_script_redis.ts";
import { boundedRedisCall } from "./redis_client.ts";
import { MemorySendPacer } from "./send_pacer_memory.ts";

/**
 * `MemorySendPacer.reserveNow` in one atomic script. The key holds the time the next slot is
 * free and expires a second after that time, when it holds no information any more.
 *
 * KEYS[1] schedule · ARGV intervalMs, now, maxWaitMs → { 1, waitMs } | { 0, retryAfterMs }
 */
const RESERVE = new RedisLuaScript(`
local interval = tonumber(ARGV[1])
local now = tonumber(ARGV[2])
local maxWait = tonumber(ARGV[3])
local next = tonumber(redis.call('GET', KEYS[1]) or '') or now
local slot = math.max(now, next)
local wait = slot - now
if wait > maxWait then
  return { 0, tostring(wait - maxWait) }
end
redis.call('SET', KEYS[1], string.format('%.17g', slot + interval), 'PX', math.ceil(wait + interval) + 1000)
return { 1, tostring(wait) }
`);

/**
 * One slot schedule per key in Redis. Instance clocks should be NTP-synchronised: a clock
 * ahead takes slots early by its skew.
 *
 * Degradation, by design: while Redis is unreachable or slower than `timeoutMs`, each instance
 * paces its own sends in process (so a provider sees at most one channel rate per instance,
 * never an unbounded burst), and the fallback is counted in {@linkcode degradedCount}.
 */
export class RedisSendPacer implements SendPacer {
  readonly #client: Redis;
  readonly #keyPrefix: string;
  readonly #timeoutMs: number;
  readonly #fallback = new MemorySendPacer();
  readonly #onDegraded: ((error: Error) => void) | undefined;
  #degraded = 0;

  /**
   * @param client a connected client
   * @param options.keyPrefix prefix of the schedule keys (default `"sendeasy:"`)
   * @param options.timeoutMs deadline of one reservation in ms (default 100)
   * @param options.onDegraded told of every reservation taken without Redis
   */
  constructor(
    client: Redis,
    options: { keyPrefix?: string; timeoutMs?: number; onDegraded?: (error: Error) => void } = {},
  ) {
    this.#client = client;
    this.#keyPrefix = `${options.keyPrefix ?? "sendeasy:"}pace:`;
    this.#timeoutMs = options.timeoutMs ?? 100;
    this.#onDegraded = options.onDegraded;
  }

  /** How many reservations were taken in process (Redis down) since construction. */
  get degradedCount(): number {
    return this.#degraded;
  }

  async reserve(
    key: string,
    options: { intervalMs: number; now: number; maxWaitMs: number },
  ): Promise<PaceDecision> {
    const { intervalMs, now, maxWaitMs } = options;
    let reply: unknown;
    try {
      reply = await boundedRedisCall(
        this.#client,
        () => RESERVE.run(this.#client, [this.#keyPrefix + key], [intervalMs, now, maxWaitMs]),
        { action: "reserve a send slot", timeoutMs: this.#timeoutMs },
      );
    } catch (error) {
      this.#degraded += 1;
      this.#onDegraded?.(error instanceof Error ? error : new Error(String(error)));
      return this.#fallback.reserveNow(key, options);
    }
    if (!Array.isArray(reply) || reply.length !== 2) {
      throw new Error(`Cannot read a send slot: unexpected reply ${JSON.stringify(reply)}`);
    }
    const ms = Number(reply[1]);
    return Number(reply[0]) === 1 ? { ok: true, waitMs: ms } : { ok: false, retryAfterMs: ms };
  }
}
