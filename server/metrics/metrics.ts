/**
 * `GET /metrics` series (docs/operations.md "Monitor"), with prom-client on a registry of
 * this server's own (several servers may share a process in tests). Counters count what this
 * instance did; gauges are read from the store at each scrape, so every instance reports the
 * same backlog. Labels are bounded: channel types, provider names and fixed outcomes, never
 * an id, an address or a token.
 *
 * @module
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { ChannelType, ProviderName } from "../../core/domain.ts";
import type { OpsStatsReader } from "../../core/ports/ops_stats.ts";

/** How a provider call ended, as the sends counter labels it. */
export type SendOutcome = "sent" | "no_funds" | "failed" | "timeout";

/** How a webhook attempt ended: 2xx, will be retried, no retry left, or 410 (disables it). */
export type AttemptOutcome = "succeeded" | "retrying" | "failed" | "gone";

/** What the send path records. */
export interface SendMetrics {
  send(
    labels: { channelType: ChannelType; provider: ProviderName },
    outcome: SendOutcome,
    seconds: number,
  ): void;
}

/** What the webhook attempts record. */
export interface AttemptMetrics {
  attempt(outcome: AttemptOutcome, trigger: "scheduled" | "manual"): void;
}

/** The metrics of one server. */
export class Metrics implements SendMetrics, AttemptMetrics {
  readonly #registry = new Registry();
  readonly #stats: OpsStatsReader;
  readonly #now: () => number;
  readonly #sends: Counter<"channel_type" | "provider" | "outcome">;
  readonly #duration: Histogram<"channel_type" | "provider">;
  readonly #attempts: Counter<"outcome" | "trigger">;
  readonly #oldestDue: Gauge;
  readonly #disabled: Gauge<"reason">;
  readonly #queued: Gauge;

  /**
   * @param stats Where the gauges are read at each scrape.
   * @param now The clock the delivery backlog's age is measured with (Unix ms).
   */
  constructor(stats: OpsStatsReader, now: () => number) {
    this.#stats = stats;
    this.#now = now;
    const registers = [this.#registry];
    this.#sends = new Counter({
      name: "sendeasy_sends_total",
      help: "Sends handed to a provider by this instance, by channel type, provider and outcome",
      labelNames: ["channel_type", "provider", "outcome"],
      registers,
    });
    this.#duration = new Histogram({
      name: "sendeasy_provider_request_duration_seconds",
      help: "Time from handing a send to its provider to its answer (or the timeout)",
      labelNames: ["channel_type", "provider"],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    });
    this.#attempts = new Counter({
      name: "sendeasy_webhook_attempts_total",
      help: "Webhook delivery attempts made by this instance, by outcome and trigger",
      labelNames: ["outcome", "trigger"],
      registers,
    });
    for (const outcome of ["succeeded", "retrying", "failed", "gone"] as const) {
      this.#attempts.inc({ outcome, trigger: "scheduled" }, 0);
    }
    this.#oldestDue = new Gauge({
      name: "sendeasy_delivery_oldest_due_age_seconds",
      help: "How long the oldest due delivery to an enabled webhook has waited (0 when none)",
      registers,
    });
    this.#disabled = new Gauge({
      name: "sendeasy_webhooks_disabled",
      help: "Disabled webhooks, by reason (gone: 410, failing: 5 days of failures, manual)",
      labelNames: ["reason"],
      registers,
    });
    this.#queued = new Gauge({
      name: "sendeasy_messages_queued",
      help: "Outbound messages still waiting for their provider's answer",
      registers,
    });
  }

  send(
    labels: { channelType: ChannelType; provider: ProviderName },
    outcome: SendOutcome,
    seconds: number,
  ): void {
    const base = { channel_type: labels.channelType, provider: labels.provider };
    this.#sends.inc({ ...base, outcome });
    this.#duration.observe(base, seconds);
  }

  attempt(outcome: AttemptOutcome, trigger: "scheduled" | "manual"): void {
    this.#attempts.inc({ outcome, trigger });
  }

  /** The Content-Type of {@linkcode render}'s text. */
  get contentType(): string {
    return this.#registry.contentType;
  }

  /** Reads the gauges from the store, then the whole exposition text. */
  async render(): Promise<string> {
    const stats = await this.#stats.read();
    const earliest = stats.earliestPendingAt?.getTime() ?? null;
    const waited = earliest === null ? 0 : Math.max(0, this.#now() - earliest) / 1000;
    this.#oldestDue.set(waited);
    for (const [reason, count] of Object.entries(stats.disabledWebhooks)) {
      this.#disabled.set({ reason }, count);
    }
    this.#queued.set(stats.queuedMessages);
    return this.#registry.metrics();
  }
}
