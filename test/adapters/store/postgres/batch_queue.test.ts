import { expect, test } from "bun:test";
import { BatchQueue } from "../../../../adapters/store/postgres/_batch_queue.ts";

/** A queue whose writes wait until the test lets each batch through. */
function gatedQueue(limits: { maxBatch: number; maxInFlight: number }) {
  const batches: number[][] = [];
  const gates: Array<() => void> = [];
  const queue = new BatchQueue<number>(
    (batch) =>
      new Promise<void>((resolve) => {
        batches.push(batch);
        gates.push(resolve);
      }),
    limits,
  );
  const openNext = async () => {
    gates.shift()?.();
    await Bun.sleep(1);
  };
  return { queue, batches, openNext };
}

test("items of one loop turn share a batch; what queues meanwhile goes in the next", async () => {
  const { queue, batches, openNext } = gatedQueue({ maxBatch: 100, maxInFlight: 1 });
  for (const n of [1, 2, 3]) queue.push(n);
  await Bun.sleep(1);
  expect(batches).toEqual([[1, 2, 3]]);
  for (const n of [4, 5]) queue.push(n);
  await Bun.sleep(1);
  // One batch in flight at most: 4 and 5 wait for it.
  expect(batches).toEqual([[1, 2, 3]]);
  await openNext();
  expect(batches).toEqual([
    [1, 2, 3],
    [4, 5],
  ]);
  const drained = queue.drain();
  await openNext();
  await drained;
});

test("batches hold at most maxBatch items, and at most maxInFlight run at once", async () => {
  const { queue, batches, openNext } = gatedQueue({ maxBatch: 2, maxInFlight: 2 });
  for (let n = 1; n <= 7; n++) queue.push(n);
  await Bun.sleep(1);
  expect(batches).toEqual([
    [1, 2],
    [3, 4],
  ]);
  await openNext();
  expect(batches.at(-1)).toEqual([5, 6]);
  await openNext();
  await openNext();
  expect(batches.at(-1)).toEqual([7]);
});

test("drain() waits for every queued item's batch, and resolves at once when idle", async () => {
  const { queue, openNext } = gatedQueue({ maxBatch: 1, maxInFlight: 1 });
  await queue.drain();
  queue.push(1);
  queue.push(2);
  let drained = false;
  const done = queue.drain().then(() => {
    drained = true;
  });
  await Bun.sleep(1);
  await openNext();
  expect(drained).toBe(false);
  await openNext();
  await done;
  expect(drained).toBe(true);
});
