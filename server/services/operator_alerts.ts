/**
 * Raising operator alerts (README "Operator alerts"): each is written to the alerts' outbox
 * (so a restart loses none) once per incident, then the sender posts it. Raising never fails
 * the work that noticed the problem: a write that fails is logged.
 *
 * @module
 */
import type { Channel } from "../../core/domain.ts";
import {
  isProviderAuthFault,
  type OperatorAlertTopic,
  operatorAlert,
  utcDay,
} from "../../core/operator_alert.ts";
import type { Clock } from "../../core/ports/clock.ts";
import type { OperatorAlertStore } from "../../core/ports/operator_alert_store.ts";
import type { ProviderResult } from "../../core/ports/providers.ts";
import type { Logger } from "../logger.ts";
import { canonicalJsonHash } from "./canonical_json.ts";
import type { IdFactory } from "./ids.ts";

/** Raises alerts; a deployment without `SENDEASY_OPERATOR_WEBHOOK_URL` raises none. */
export class OperatorAlerts {
  readonly #store: OperatorAlertStore;
  readonly #o: { ids: IdFactory; clock: Clock; logger: Logger; wake: () => void };

  /**
   * @param store the alerts' outbox
   * @param options.wake tells the sender of this instance that an alert was written
   */
  constructor(
    store: OperatorAlertStore,
    options: { ids: IdFactory; clock: Clock; logger: Logger; wake: () => void },
  ) {
    this.#store = store;
    this.#o = options;
  }

  /**
   * Writes one alert unless its incident already has one; never rejects.
   *
   * @param topic what happened
   * @param incident the parts naming the incident (see `operatorAlert`)
   * @param data the ids, codes and reasons the operator needs; never secrets
   */
  async raise(
    topic: OperatorAlertTopic,
    incident: readonly (string | number)[],
    data: Record<string, unknown>,
  ): Promise<void> {
    const at = new Date(this.#o.clock.now());
    const alert = operatorAlert(topic, { id: this.#o.ids("event"), incident, data, at });
    try {
      if (await this.#store.enqueue(alert)) {
        this.#o.logger.warn("operator alert raised", { topic, alertId: alert.id });
        this.#o.wake();
      }
    } catch (error) {
      this.#o.logger.error("operator alert not written", { topic, error: String(error) });
    }
  }

  /**
   * After a send the provider refused: credentials refused → `channel.provider_auth_failed`,
   * out of funds → `channel.credits_exhausted`, each once per channel, credentials and day.
   */
  async providerRefused(channel: Channel, result: Extract<ProviderResult, { ok: false }>) {
    const { code, message } = result.fault;
    const funds = result.code === "NO_FUNDS";
    if (!funds && !isProviderAuthFault(channel.provider, code)) return;
    const day = utcDay(new Date(this.#o.clock.now()));
    const data = { ...channelData(channel), code, message };
    if (funds) {
      await this.raise("channel.credits_exhausted", [channel.id, "provider", day], {
        ...data,
        source: "provider",
      });
      return;
    }
    // New credentials are a new incident: the fingerprint changes with the config.
    const credentials = (await canonicalJsonHash(channel.config)).slice(0, 16);
    await this.raise("channel.provider_auth_failed", [channel.id, credentials, day], data);
  }

  /** A send refused for the channel's own credits: once per channel and day. */
  async creditsRanOut(channel: Channel, balance: number): Promise<void> {
    const day = utcDay(new Date(this.#o.clock.now()));
    await this.raise("channel.credits_exhausted", [channel.id, "local", day], {
      ...channelData(channel),
      source: "local",
      balance,
    });
  }
}

function channelData(channel: Channel): Record<string, unknown> {
  return {
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: channel.type,
    provider: channel.provider,
    name: channel.name,
  };
}
