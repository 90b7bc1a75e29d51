/**
 * Sendeasy on one setup for the fan-out: its instances, webhooks and events, driven over the admin
 * API (bench/README.md#fan-out).
 *
 * @module
 */
import { join } from "node:path";
import { adminPost } from "../shared/admin_api.ts";
import { type Provisioned, provision, type Setup } from "../shared/backend.ts";
import { startTarget, type Target } from "../shared/proc.ts";
import type { Receivers } from "./receivers.ts";

/** Starts `count` fan-out servers on `backend`, one after another. */
export async function startServers(
  backend: Provisioned,
  count: number,
  options: { bunFlags?: string[]; worker?: boolean } = {},
): Promise<Target[]> {
  const env = { ...backend.env, FANOUT_WORKER: options.worker === false ? "off" : "on" };
  const targets: Target[] = [];
  try {
    while (targets.length < count) {
      targets.push(
        await startTarget(join(import.meta.dir, "server.ts"), {
          bunFlags: options.bunFlags ?? [],
          env,
        }),
      );
    }
  } catch (error) {
    for (const target of targets) await target.stop();
    throw error;
  }
  return targets;
}

/**
 * Sendeasy on one setup: fresh processes with one sandbox channel and `webhooks` general
 * webhooks. The first instance is started and set up alone (it migrates the database; the
 * others then load the webhooks from it, no cache to invalidate); events alternate between the
 * instances, and every instance's worker delivers.
 */
export class Sendeasy {
  private constructor(
    readonly setup: Setup,
    readonly targets: Target[],
    readonly channelId: string,
    readonly backend: Provisioned,
    private readonly ownsBackend: boolean,
  ) {}

  /**
   * @param options.backend run on this backend (and leave it in place); default: a fresh one,
   *   dropped by `stop()`
   * @param options.worker false: no delivery worker (deliveries stay queued)
   */
  static async start(
    receivers: Receivers,
    webhooks: number,
    setup: Setup,
    options: { bunFlags?: string[]; worker?: boolean; backend?: Provisioned } = {},
  ): Promise<Sendeasy> {
    const backend = options.backend ?? (await provision(setup.backend));
    const targets: Target[] = [];
    try {
      targets.push(...(await startServers(backend, 1, options)));
      const first = targets[0] as Target;
      const channel = await adminCall(first, "/channels", {
        type: "sms",
        provider: "sandbox",
        name: "bench",
        address: "+5511933334444",
      });
      for (let i = 0; i < webhooks; i++) {
        await adminCall(first, "/integrations", {
          kind: "webhook",
          name: `bench ${i}`,
          scope: "general",
          url: receivers.url(i),
          events: ["message.received"],
        });
      }
      targets.push(...(await startServers(backend, setup.instances - 1, options)));
      return new Sendeasy(setup, targets, String(channel.id), backend, !options.backend);
    } catch (error) {
      for (const target of targets) await target.stop();
      if (!options.backend) await backend.drop();
      throw error;
    }
  }

  /** Stops every instance (and drops the backend it made). */
  async stop(): Promise<void> {
    for (const target of this.targets) await target.stop();
    if (this.ownsBackend) await this.backend.drop();
  }

  /** One `message.received` event (through instance `n` mod instances); the round trip in ms. */
  async event(n: number, expectedDeliveries: number): Promise<number> {
    const started = performance.now();
    const target = this.targets[n % this.targets.length] as Target;
    const answer = await adminCall(target, `/channels/${this.channelId}/simulate-inbound`, {
      from: "+5511988887777",
      text: `bench event ${n}`,
    });
    const deliveries = (answer.event as { deliveries: number }).deliveries;
    if (deliveries !== expectedDeliveries) {
      throw new Error(`event ${n} has ${deliveries} deliveries, expected ${expectedDeliveries}`);
    }
    return performance.now() - started;
  }

  /** Creates events `from`…`from + count - 1` with at most `inFlight` API calls at once. */
  async events(from: number, count: number, inFlight: number, fanout: number): Promise<number[]> {
    const latencies: number[] = [];
    let next = from;
    const end = from + count;
    const runner = async (): Promise<void> => {
      while (next < end) latencies.push(await this.event(next++, fanout));
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, runner));
    return latencies;
  }

  /** SQLite group-commit counters; null on Postgres (its counters cover messages only). */
  async sqliteWrites(): Promise<{ batches: number; writes: number } | null> {
    if (this.setup.backend !== "sqlite") return null;
    const stats = await (this.targets[0] as Target).command("stats");
    return (stats.storeWrites as { batches: number; writes: number } | null) ?? null;
  }
}

/** An admin API call with the operator key `target` announced. */
export const adminCall = (
  target: Target,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> => adminPost(target.url, target.token ?? "", path, body);
