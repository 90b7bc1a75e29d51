/**
 * Items released after a delay, with one timer per distinct delay instead of one per item:
 * items scheduled with the same delay come due in the order they were added, so each delay
 * keeps a FIFO and a single timer for its head. The sandbox schedules a report per send; a
 * timer each was a visible share of the send path under load.
 *
 * @module
 */

interface Lane<T> {
  items: { due: number; item: T }[];
  head: number;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Due times within this many ms of now are released together (timers are not exact anyway). */
const SLACK_MS = 1;

/**
 * @example
 * ```ts
 * const queue = new DelayQueue<string>((item) => console.log(item));
 * queue.schedule("later", 50);
 * queue.drain(); // releases "later" now
 * ```
 */
export class DelayQueue<T> {
  readonly #release: (item: T) => unknown;
  readonly #now: () => number;
  readonly #lanes = new Map<number, Lane<T>>();

  /**
   * @param release called with each item once its delay has passed (or on {@linkcode drain})
   * @param now a monotonic clock in ms (default `performance.now`)
   */
  constructor(release: (item: T) => unknown, now: () => number = () => performance.now()) {
    this.#release = release;
    this.#now = now;
  }

  /** Items scheduled and not yet released. */
  get size(): number {
    let size = 0;
    for (const lane of this.#lanes.values()) size += lane.items.length - lane.head;
    return size;
  }

  /** Releases `item` after `delayMs` (≥ 0). */
  schedule(item: T, delayMs: number): void {
    let lane = this.#lanes.get(delayMs);
    if (lane === undefined) {
      lane = { items: [], head: 0, timer: undefined };
      this.#lanes.set(delayMs, lane);
    }
    lane.items.push({ due: this.#now() + delayMs, item });
    if (lane.timer === undefined) lane.timer = setTimeout(() => this.#releaseDue(delayMs), delayMs);
  }

  /** Takes every item not yet released, cancelling the timers; the caller releases them. */
  drain(): T[] {
    const items: T[] = [];
    for (const lane of this.#lanes.values()) {
      clearTimeout(lane.timer);
      for (let i = lane.head; i < lane.items.length; i++)
        items.push((lane.items[i] as { item: T }).item);
    }
    this.#lanes.clear();
    return items;
  }

  #releaseDue(delayMs: number): void {
    const lane = this.#lanes.get(delayMs);
    if (lane === undefined) return;
    lane.timer = undefined;
    const now = this.#now();
    const due: T[] = [];
    while (lane.head < lane.items.length) {
      const next = lane.items[lane.head] as { due: number; item: T };
      if (next.due > now + SLACK_MS) break;
      due.push(next.item);
      lane.head++;
    }
    if (lane.head === lane.items.length) {
      this.#lanes.delete(delayMs);
    } else {
      // Drop released entries now and then so the array does not grow without end.
      if (lane.head > 1024) {
        lane.items = lane.items.slice(lane.head);
        lane.head = 0;
      }
      const wait = Math.max(0, (lane.items[lane.head] as { due: number }).due - now);
      lane.timer = setTimeout(() => this.#releaseDue(delayMs), wait);
    }
    for (const item of due) this.#release(item);
  }
}
