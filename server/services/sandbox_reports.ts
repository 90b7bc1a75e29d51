/**
 * The sandbox's `delivered` (or `failed`) reports as durable scheduled work (README "The
 * sandbox provider"): a sandbox message still `sent` is a report owed, and the row says when
 * it is due (its creation plus the channel's `deliveredAfterMs`). The sandbox makes each
 * report on time from memory; a sweep makes, from the rows, those a restart, a crash or a dead
 * instance left undone. A report made twice is no news the second time (the status rule).
 *
 * @module
 */
import {
  deliveredAfterMs,
  type SandboxStatusReport,
  sandboxOutcome,
  sandboxReport,
} from "../../adapters/providers/sandbox.ts";
import type { Channel, Message } from "../../core/domain.ts";
import type { Logger } from "../logger.ts";
import { applyStatusReport, type StatusDeps } from "./status_service.ts";

/** What the reports need. */
export interface SandboxReportDeps extends StatusDeps {
  /** A channel by id alone, soft-deleted ones included. */
  findChannel: (channelId: string) => Promise<Channel | null>;
  logger: Logger;
}

/** Options of {@linkcode SandboxReports}; each has a default. */
export interface SandboxReportOptions {
  /** How often the owed reports are looked for, in ms (default 1 000). */
  sweepEveryMs?: number;
  /** How late a report must be before a sweep makes it (default 1 000 ms). */
  overdueMs?: number;
  /** Owed reports made per sweep at most (default 500). */
  batch?: number;
  /** How often a report whose message is not written yet is tried again (default 5). */
  retries?: number;
}

/**
 * @example
 * ```ts
 * const reports = new SandboxReports(deps);
 * const sandbox = new SandboxProvider((report) => reports.report(report));
 * reports.start();
 * ```
 */
export class SandboxReports {
  readonly #deps: SandboxReportDeps;
  readonly #sweepEveryMs: number;
  readonly #overdueMs: number;
  readonly #batch: number;
  readonly #retries: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #sweeping: Promise<number> | null = null;
  #stopped = false;

  constructor(deps: SandboxReportDeps, options: SandboxReportOptions = {}) {
    this.#deps = deps;
    this.#sweepEveryMs = options.sweepEveryMs ?? 1_000;
    this.#overdueMs = options.overdueMs ?? 1_000;
    this.#batch = options.batch ?? 500;
    this.#retries = options.retries ?? 5;
  }

  /**
   * Makes one report on time. A report due before its message is written (a slow database)
   * is tried again a little later; if it never finds it, a sweep does.
   */
  async report(report: SandboxStatusReport, attempt = 0): Promise<void> {
    try {
      const outcome = await applyStatusReport(this.#deps, report);
      if (outcome !== "unknown" || attempt >= this.#retries || this.#stopped) return;
      setTimeout(() => void this.report(report, attempt + 1), 50 * 2 ** attempt).unref();
    } catch (error) {
      this.#deps.logger.error("status update failed", {
        messageId: report.messageId,
        error: String(error),
      });
    }
  }

  /** Sweeps now, then every `sweepEveryMs`. */
  start(): void {
    this.#stopped = false;
    const tick = async () => {
      await this.sweep().catch((error) =>
        this.#deps.logger.error("sandbox report sweep failed", { error: String(error) }),
      );
      if (this.#stopped) return;
      this.#timer = setTimeout(tick, this.#sweepEveryMs);
      this.#timer.unref();
    };
    void tick();
  }

  /** Stops sweeping; resolves once a sweep in flight is done. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#sweeping?.catch(() => undefined);
  }

  /**
   * Makes every owed report that is overdue.
   *
   * @returns how many reports it made
   */
  sweep(): Promise<number> {
    this.#sweeping ??= this.#sweepOnce().finally(() => {
      this.#sweeping = null;
    });
    return this.#sweeping;
  }

  async #sweepOnce(): Promise<number> {
    const now = this.#deps.clock.now();
    const owed = await this.#deps.messages.listAwaitingSandboxReport(
      new Date(now - this.#overdueMs),
      this.#batch,
    );
    const channels = new Map<string, Promise<Channel | null>>();
    const reports: SandboxStatusReport[] = [];
    for (const message of owed) {
      let channel = channels.get(message.channelId);
      if (channel === undefined) {
        channel = this.#deps.findChannel(message.channelId);
        channels.set(message.channelId, channel);
      }
      const report = reportOwed(message, await channel, now - this.#overdueMs);
      if (report !== null) reports.push(report);
    }
    // All at once: the store's group commit writes them in a few transactions.
    await Promise.all(reports.map((report) => applyStatusReport(this.#deps, report)));
    return reports.length;
  }
}

/** The report `message` is owed if it was due at or before `dueBy`; null otherwise. */
function reportOwed(
  message: Message,
  channel: Channel | null,
  dueBy: number,
): SandboxStatusReport | null {
  if (channel === null || message.providerMessageId === null) return null;
  if (message.createdAt.getTime() + deliveredAfterMs(channel) > dueBy) return null;
  return sandboxReport(channel, {
    messageId: message.id,
    providerMessageId: message.providerMessageId,
    fails: sandboxOutcome(message.channelType, message.to) === "undeliverable",
  });
}
