/**
 * The harness's side of the fan-out receivers process: its ports and what it recorded
 * (bench/README.md#fan-out).
 *
 * @module
 */
import { join } from "node:path";
import { startTarget, type Target } from "../shared/proc.ts";
import type { CapturedRequest, ReceiverReport } from "./receiver.ts";

/** The receiver process's control API. */
export class Receivers {
  constructor(
    readonly target: Target,
    readonly ports: number[],
  ) {}

  static async start(): Promise<Receivers> {
    const target = await startTarget(join(import.meta.dir, "receiver.ts"));
    const { ports } = (await (await fetch(`${target.url}/ports`)).json()) as { ports: number[] };
    return new Receivers(target, ports);
  }

  url(index: number): string {
    return `http://127.0.0.1:${this.ports[index]}/hooks/${index}`;
  }

  async count(): Promise<number> {
    return ((await (await fetch(`${this.target.url}/count`)).json()) as { count: number }).count;
  }

  /** Polls (every 20 ms, off the timed path) until `expected` arrived or `timeoutMs` passed. */
  async waitFor(expected: number, timeoutMs: number): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let count = await this.count();
    while (count < expected && Date.now() < deadline) {
      await Bun.sleep(20);
      count = await this.count();
    }
    return count;
  }

  async report(): Promise<ReceiverReport> {
    return (await (await fetch(`${this.target.url}/report`)).json()) as ReceiverReport;
  }

  async captured(): Promise<CapturedRequest[]> {
    return (await (await fetch(`${this.target.url}/captured`)).json()) as CapturedRequest[];
  }

  async reset(): Promise<void> {
    await fetch(`${this.target.url}/reset`, { method: "POST" });
  }
}
