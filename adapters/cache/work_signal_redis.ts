/**
 * Worker wake-ups across instances through Redis pub/sub (the port: a lost signal only
 * delays a delivery, workers still poll).
 *
 * @module
 */
import type { Redis } from "ioredis";
import type { WorkSignal } from "../../core/ports/work_signal.ts";
import { RedisSubscription } from "./_subscription_redis.ts";
import { boundedRedisCall, duplicateForSubscribing, untilRedisReady } from "./redis_client.ts";
import { MemoryWorkSignal, type MemoryWorkSignalOptions } from "./work_signal_memory.ts";

/** Options of {@linkcode RedisWorkSignal}. */
export interface RedisWorkSignalOptions extends MemoryWorkSignalOptions {
  /** A connection for pub/sub only (default: a duplicate of `client`, closed by `close()`). */
  subscriber?: Redis;
  /** Prefix of the channel name; instances sharing it wake each other (default `"sendeasy:"`). */
  keyPrefix?: string;
  /** At most one PUBLISH per this many ms; notifications in between make one more (default 10). */
  coalesceMs?: number;
  /** Deadline of a PUBLISH, in ms (default 500). */
  publishTimeoutMs?: number;
}

/**
 * `notify()` calls this instance's listeners directly (synchronously, as
 * {@linkcode MemoryWorkSignal} does) and publishes on a channel every instance subscribes to,
 * coalesced: the first notification publishes at once, those within the next `coalesceMs` make
 * a single trailing publish. An instance ignores its own publications (its listeners already
 * ran).
 *
 * Degradation: a PUBLISH that fails (Redis down) is counted in {@linkcode failedPublishCount}
 * and otherwise ignored — other instances find the work at their next poll. Each time the
 * subscription becomes active (at start, and again after a drop) local listeners are called
 * once, for the notifications that may have been missed meanwhile.
 *
 * @example
 * ```ts
 * const signal = new RedisWorkSignal(redis);
 * const worker = new DeliveryWorker({ signal, ... });
 * ```
 */
export class RedisWorkSignal implements WorkSignal {
  readonly #client: Redis;
  readonly #local: MemoryWorkSignal;
  readonly #channel: string;
  readonly #coalesceMs: number;
  readonly #publishTimeoutMs: number;
  readonly #subscription: RedisSubscription;
  /** Marks this instance's publications, so it can skip them. */
  readonly #instanceId = crypto.randomUUID();
  #window: ReturnType<typeof setTimeout> | undefined;
  #pending = false;
  #failedPublishes = 0;

  /**
   * @param client A connected client, used to publish.
   * @param options See {@linkcode RedisWorkSignalOptions}.
   */
  constructor(client: Redis, options: RedisWorkSignalOptions = {}) {
    this.#client = client;
    this.#local = new MemoryWorkSignal(
      options.onListenerError !== undefined ? { onListenerError: options.onListenerError } : {},
    );
    this.#channel = `${options.keyPrefix ?? "sendeasy:"}work`;
    this.#coalesceMs = options.coalesceMs ?? 10;
    this.#publishTimeoutMs = options.publishTimeoutMs ?? 500;
    this.#subscription = new RedisSubscription(
      options.subscriber ?? duplicateForSubscribing(client),
      this.#channel,
      {
        onMessage: (sender) => {
          if (sender !== this.#instanceId) this.#local.notify();
        },
        // Whatever was published while not subscribed was missed: look once.
        onSubscribed: () => this.#local.notify(),
        onLost: () => {},
        owned: options.subscriber === undefined,
      },
    );
  }

  /** How many publications failed (each one only delays other instances until they poll). */
  get failedPublishCount(): number {
    return this.#failedPublishes;
  }

  /** True while notifications from other instances are received. */
  get subscribed(): boolean {
    return this.#subscription.active;
  }

  /**
   * Waits until notifications from other instances are received and this one can publish.
   *
   * @param options.timeoutMs how long to wait (default 5 000 ms)
   * @throws {Error} If not subscribed in time.
   */
  async ready(options: { timeoutMs?: number } = {}): Promise<void> {
    await Promise.all([this.#subscription.ready(options), untilRedisReady(this.#client, options)]);
  }

  notify(): void {
    this.#local.notify();
    if (this.#window !== undefined) this.#pending = true;
    else this.#publishThenWait();
  }

  subscribe(listener: () => void): () => void {
    return this.#local.subscribe(listener);
  }

  /** Stops publishing and listening; closes the subscriber connection if this signal opened it. */
  close(): Promise<void> {
    clearTimeout(this.#window);
    this.#window = undefined;
    this.#pending = false;
    return this.#subscription.close();
  }

  /** Publishes, then holds further publications back for `coalesceMs`, then sends one if asked. */
  #publishThenWait(): void {
    this.#publish();
    this.#window = setTimeout(() => {
      this.#window = undefined;
      if (!this.#pending) return;
      this.#pending = false;
      this.#publishThenWait();
    }, this.#coalesceMs);
    this.#window.unref?.();
  }

  #publish(): void {
    boundedRedisCall(this.#client, () => this.#client.publish(this.#channel, this.#instanceId), {
      action: "publish a work signal",
      timeoutMs: this.#publishTimeoutMs,
    }).catch(() => {
      this.#failedPublishes += 1;
    });
  }
}
