/**
 * One Redis pub/sub channel, subscribed on a subscriber connection, that knows at every moment
 * whether it is really subscribed — what the token cache needs to never trust a local entry
 * while an invalidation could be missed.
 *
 * @module
 */
import type { Redis } from "ioredis";

/** What a {@linkcode RedisSubscription} reports to its owner, and who owns the connection. */
export interface SubscriptionOptions {
  /** A message arrived on the channel. */
  onMessage(payload: string): void;
  /** The subscription became active: messages published from now on will arrive. */
  onSubscribed(): void;
  /** The connection dropped: messages published from now on may be missed. */
  onLost(): void;
  /** Whether `close()` disconnects the subscriber (default false). */
  owned?: boolean;
}

/**
 * Subscribes `channel` on `subscriber` and again after every reconnection (ioredis's own
 * `autoResubscribe` is not awaited, so the subscription issues its own SUBSCRIBE to learn when
 * it is active again). It is active from the SUBSCRIBE reply until the connection closes.
 *
 * @example
 * ```ts
 * const sub = new RedisSubscription(duplicateForSubscribing(redis), "sendeasy:tokens", {
 *   onMessage: (payload) => apply(payload),
 *   onSubscribed: () => {},
 *   onLost: () => cache.clear(),
 *   owned: true,
 * });
 * await sub.ready();
 * ```
 */
export class RedisSubscription {
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #handlers: SubscriptionOptions;
  readonly #owned: boolean;
  #active = false;
  #closed = false;
  /** Bumped on every connection loss, so a SUBSCRIBE answered on an older connection counts for nothing. */
  #epoch = 0;
  #waiters: (() => void)[] = [];
  readonly #onMessage = (channel: string, payload: string): void => {
    if (channel === this.#channel) this.#handlers.onMessage(payload);
  };
  readonly #onReady = (): void => this.#subscribe();
  readonly #onClose = (): void => {
    this.#epoch += 1;
    if (!this.#active) return;
    this.#active = false;
    this.#handlers.onLost();
  };

  /**
   * @param subscriber A connection for pub/sub only (it enters subscriber mode).
   * @param channel The channel name.
   * @param options See {@linkcode SubscriptionOptions}.
   */
  constructor(subscriber: Redis, channel: string, options: SubscriptionOptions) {
    this.#subscriber = subscriber;
    this.#channel = channel;
    this.#handlers = options;
    this.#owned = options.owned ?? false;
    subscriber.on("message", this.#onMessage);
    subscriber.on("ready", this.#onReady);
    subscriber.on("close", this.#onClose);
    subscriber.on("end", this.#onClose);
    this.#subscribe();
  }

  /** True while every message published on the channel reaches this subscription. */
  get active(): boolean {
    // The status flips synchronously on a drop; the "close" event follows a tick later.
    return this.#active && this.#subscriber.status === "ready";
  }

  /**
   * Waits until the subscription is active.
   *
   * @param options.timeoutMs how long to wait (default 5 000 ms)
   * @throws {Error} `Cannot subscribe to "…": not subscribed within 5000 ms`.
   */
  ready(options: { timeoutMs?: number } = {}): Promise<void> {
    if (this.active) return Promise.resolve();
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise<void>((resolve, reject) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `Cannot subscribe to "${this.#channel}": not subscribed within ${timeoutMs} ms`,
          ),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Stops listening; disconnects the subscriber if owned, else unsubscribes the channel. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#active = false;
    this.#subscriber.off("message", this.#onMessage);
    this.#subscriber.off("ready", this.#onReady);
    this.#subscriber.off("close", this.#onClose);
    this.#subscriber.off("end", this.#onClose);
    if (this.#owned) this.#subscriber.disconnect();
    else await this.#subscriber.unsubscribe(this.#channel).catch(() => {});
  }

  #subscribe(): void {
    if (this.#closed) return;
    const epoch = this.#epoch;
    this.#subscriber.subscribe(this.#channel).then(
      () => {
        if (this.#closed || epoch !== this.#epoch || this.#subscriber.status !== "ready") return;
        if (this.#active) return;
        this.#active = true;
        this.#handlers.onSubscribed();
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const waiter of waiters) waiter();
      },
      // Failed while disconnected: the next "ready" subscribes again.
      () => {},
    );
  }
}
