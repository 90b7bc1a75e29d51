/**
 * Posts operator alerts to `SENDEASY_OPERATOR_WEBHOOK_URL` (README "Operator alerts"), signed
 * as every webhook is (Standard Webhooks, with `SENDEASY_OPERATOR_WEBHOOK_SECRET`), through the
 * guarded transport. Alerts are claimed under a lease, so several instances share them, and
 * retried on the webhooks' retry schedule.
 *
 * @module
 */
import type { Clock } from "../../core/ports/clock.ts";
import type {
  ClaimedOperatorAlert,
  OperatorAlertOutcome,
  OperatorAlertStore,
} from "../../core/ports/operator_alert_store.ts";
import type { WebhookTransport } from "../../core/ports/webhook_transport.ts";
import { nextRetryDelay } from "../../core/retry_schedule.ts";
import type { WebhookMessage } from "../../core/signatures.ts";
import type { Logger } from "../logger.ts";

/** Alerts claimed at once: there are few, and each has its own incident. */
const CLAIM_LIMIT = 10;

export interface AlertSenderOptions {
  store: OperatorAlertStore;
  transport: WebhookTransport;
  url: string;
  secret: string;
  sign: (message: WebhookMessage, secrets: readonly string[]) => string | Promise<string>;
  clock: Clock;
  logger: Logger;
  retrySchedule: readonly number[];
  timeoutMs: number;
  /** Longest wait between two looks for due alerts (default 1 000 ms). */
  pollMs?: number;
}

/** Runs until `stop()`; looks for due alerts every `pollMs`, and at once on `wake()`. */
export class OperatorAlertSender {
  readonly #o: AlertSenderOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = true;

  constructor(options: AlertSenderOptions) {
    this.#o = options;
  }

  start(): void {
    this.#stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** An alert was just written: look now. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running !== null) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#tick()
      .catch((error) => this.#o.logger.error("operator alerts failed", { error: String(error) }))
      .finally(() => {
        this.#running = null;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.wake();
          return;
        }
        this.#timer = setTimeout(() => this.wake(), this.#o.pollMs ?? 1_000);
      });
  }

  async #tick(): Promise<void> {
    const claims = await this.#o.store.claimDue({
      now: new Date(this.#o.clock.now()),
      limit: CLAIM_LIMIT,
      leaseMs: 2 * this.#o.timeoutMs + 5_000,
    });
    await Promise.all(claims.map((claim) => this.#send(claim)));
    if (claims.length === CLAIM_LIMIT) this.#again = true;
  }

  async #send(claim: ClaimedOperatorAlert): Promise<void> {
    const { transport, url, secret, sign, clock } = this.#o;
    const timestamp = Math.floor(clock.now() / 1000);
    const signature = await sign({ id: claim.id, timestamp, body: claim.payload }, [secret]);
    const response = await transport.post({
      url,
      headers: {
        "content-type": "application/json",
        "user-agent": "Sendeasy-Webhooks/1",
        "webhook-id": claim.id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signature,
      },
      body: claim.payload,
      timeoutMs: this.#o.timeoutMs,
    });
    const settled = await this.#o.store.settle(claim, this.#outcome(claim, response));
    if (!settled) this.#o.logger.warn("operator alert lease lost", { alertId: claim.id });
  }

  #outcome(
    claim: ClaimedOperatorAlert,
    response: { statusCode: number | null; error: string | null },
  ): OperatorAlertOutcome {
    const now = this.#o.clock.now();
    const { statusCode } = response;
    if (statusCode !== null && statusCode >= 200 && statusCode < 300) {
      return { status: "delivered", nextAttemptAt: null, lastError: null, at: new Date(now) };
    }
    const lastError = response.error ?? `HTTP ${statusCode}`;
    const delay = nextRetryDelay(claim.attempts + 1, {
      schedule: this.#o.retrySchedule,
      random: Math.random,
    });
    if (delay === null) {
      this.#o.logger.error("operator alert given up", { alertId: claim.id, lastError });
      return { status: "failed", nextAttemptAt: null, lastError, at: new Date(now) };
    }
    return {
      status: "pending",
      nextAttemptAt: new Date(now + delay),
      lastError,
      at: new Date(now),
    };
  }
}
