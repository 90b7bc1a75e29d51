/**
 * The delivery worker's bookkeeping (README "Webhooks": fair delivery): attempts in flight,
 * claimed deliveries waiting for a slot, and slots promised to deliveries still being written
 * — counted by destination (URL and bearer token), by destination host and by company, so one
 * slow receiver, one slow host or one company's hanging receivers never take the slots others
 * need. Pure counting: the worker starts what it is given.
 *
 * @module
 */
import type { WebhookIntegration } from "../../core/domain.ts";
import type { ClaimedDelivery } from "../../core/ports/delivery_store.ts";
import { destinationKey } from "../../core/union_rule.ts";

/** How many attempts may be in flight, and to whom. */
export interface SlotLimits {
  /** To one destination (same URL and bearer token). */
  perDestination: number;
  /** On the whole worker. */
  maxInFlight: number;
  /** To one host (`host:port` of the URL), across companies. Default: no bound. */
  perHost?: number;
  /** For one company. Default: no bound. */
  perCompany?: number;
  /**
   * The last this-many of `maxInFlight` slots go only to a company with fewer than
   * `perDestination` attempts in flight, so slots stay free for others even when several
   * companies are at their bound. Default 0.
   */
  reserved?: number;
}

/** What one destination's, host's or company's holdings are. */
interface Held {
  inFlight: number;
  queued: number;
  reserved: number;
}

/**
 * @example
 * ```ts
 * const slots = new DestinationSlots({ perDestination: 8, maxInFlight: 128, perHost: 32, perCompany: 64 });
 * slots.enqueue(claim);
 * for (const [key, next] of slots.startable()) launch(key, next); // later: slots.release(next)
 * ```
 */
export class DestinationSlots {
  readonly #perDestination: number;
  readonly #maxInFlight: number;
  readonly #perHost: number;
  readonly #perCompany: number;
  readonly #openToAll: number;
  readonly #byDestination = new Map<string, Held>();
  readonly #byHost = new Map<string, Held>();
  readonly #byCompany = new Map<string, Held>();
  /** Claimed deliveries waiting for a slot (at most one claim's worth per destination). */
  readonly #ready = new Map<string, ClaimedDelivery[]>();
  readonly #webhookIdsBy = new Map<string, Set<string>>();
  readonly #webhookIdsByHost = new Map<string, Set<string>>();
  /** Each webhook's parts, by id (recomputed when its URL or bearer token changed). */
  readonly #partsCache = new Map<string, { url: string; bearer: string | null; parts: Parts }>();
  #inFlight = 0;
  #queued = 0;
  #reserved = 0;

  constructor(limits: SlotLimits) {
    this.#perDestination = limits.perDestination;
    this.#maxInFlight = limits.maxInFlight;
    this.#perHost = limits.perHost ?? Number.POSITIVE_INFINITY;
    this.#perCompany = limits.perCompany ?? Number.POSITIVE_INFINITY;
    this.#openToAll = limits.maxInFlight - (limits.reserved ?? 0);
  }

  /** Attempts in flight, claimed deliveries waiting, and reserved slots. */
  get counts(): { inFlight: number; queued: number; reserved: number } {
    return { inFlight: this.#inFlight, queued: this.#queued, reserved: this.#reserved };
  }

  /**
   * Takes a slot for a delivery about to be written, if it could start now: its destination
   * has one free, and its host, its company and the worker are within their bounds.
   */
  reserve(webhook: WebhookIntegration): boolean {
    const parts = this.#partsOf(webhook);
    const destination = held(this.#byDestination, parts.destination);
    if (total(destination) >= this.#perDestination) return false;
    if (this.#inFlight + this.#queued + this.#reserved >= this.#maxInFlight) return false;
    const host = held(this.#byHost, parts.host);
    const company = held(this.#byCompany, parts.company);
    if (host.inFlight + host.reserved >= this.#perHost) return false;
    if (!this.#companyMayStart(company.inFlight + company.reserved)) return false;
    this.#count(parts, "reserved", 1);
    return true;
  }

  /** Gives back a slot taken by {@linkcode reserve}. */
  unreserve(webhook: WebhookIntegration): void {
    this.#count(this.#partsOf(webhook), "reserved", -1);
  }

  /** Queues a claimed delivery for its destination. */
  enqueue(claim: ClaimedDelivery): void {
    const parts = this.#partsOf(claim.webhook);
    let queue = this.#ready.get(parts.destination);
    if (queue === undefined) {
      queue = [];
      this.#ready.set(parts.destination, queue);
    }
    queue.push(claim);
    this.#count(parts, "queued", 1);
  }

  /**
   * Takes every queued delivery that may start now — its destination, host and company and
   * the worker within their bounds — counting it in flight; each must be given back with
   * {@linkcode release}.
   */
  startable(): [key: string, claim: ClaimedDelivery][] {
    const start: [string, ClaimedDelivery][] = [];
    for (const [key, queue] of this.#ready) {
      while (queue.length > 0 && this.#inFlight < this.#maxInFlight) {
        const parts = this.#partsOf((queue[0] as ClaimedDelivery).webhook);
        if (!this.#mayStart(parts)) break;
        const claim = queue.shift() as ClaimedDelivery;
        this.#count(parts, "queued", -1);
        this.#count(parts, "inFlight", 1);
        start.push([key, claim]);
      }
      if (queue.length === 0) this.#ready.delete(key);
    }
    return start;
  }

  /** The attempt of `claim` is over: its slot is free. */
  release(claim: ClaimedDelivery): void {
    this.#count(this.#partsOf(claim.webhook), "inFlight", -1);
  }

  /** Whether the destination `key` still has claimed deliveries waiting. */
  hasQueued(key: string): boolean {
    return this.#ready.has(key);
  }

  /**
   * What the next claim must leave alone, so no destination, host or company holds more than
   * one more round than it may have in flight: the destinations with claimed deliveries waiting
   * or being written (`keys`), their webhooks and those of hosts holding twice their bound
   * (`webhookIds`), and each company's room (`companyRoom`, out of `perCompanyClaim`).
   */
  busy(): {
    keys: string[];
    webhookIds: string[];
    perCompanyClaim: number;
    companyRoom: Map<string, number>;
  } {
    const keys: string[] = [];
    const webhookIds = new Set<string>();
    for (const [key, holding] of this.#byDestination) {
      if (holding.queued + holding.reserved === 0) continue;
      keys.push(key);
      for (const id of this.#webhookIdsBy.get(key) ?? []) webhookIds.add(id);
    }
    for (const [host, holding] of this.#byHost) {
      if (total(holding) < 2 * this.#perHost) continue;
      for (const id of this.#webhookIdsByHost.get(host) ?? []) webhookIds.add(id);
    }
    const perCompanyClaim = 2 * this.#perCompany;
    const companyRoom = new Map<string, number>();
    for (const [company, holding] of this.#byCompany) {
      companyRoom.set(company, Math.max(0, perCompanyClaim - total(holding)));
    }
    return {
      keys,
      webhookIds: [...webhookIds],
      perCompanyClaim: Number.isFinite(perCompanyClaim) ? perCompanyClaim : Number.MAX_SAFE_INTEGER,
      companyRoom,
    };
  }

  #mayStart(parts: Parts): boolean {
    if (held(this.#byDestination, parts.destination).inFlight >= this.#perDestination) return false;
    if (held(this.#byHost, parts.host).inFlight >= this.#perHost) return false;
    return this.#companyMayStart(held(this.#byCompany, parts.company).inFlight);
  }

  /** The company bound, and the reserve: past `maxInFlight - reserved`, only small companies. */
  #companyMayStart(companyInFlight: number): boolean {
    if (companyInFlight >= this.#perCompany) return false;
    return this.#inFlight < this.#openToAll || companyInFlight < this.#perDestination;
  }

  #count(parts: Parts, field: keyof Held, delta: number): void {
    for (const [counts, key] of [
      [this.#byDestination, parts.destination],
      [this.#byHost, parts.host],
      [this.#byCompany, parts.company],
    ] as const) {
      const holding = counts.get(key) ?? { inFlight: 0, queued: 0, reserved: 0 };
      holding[field] += delta;
      if (total(holding) === 0) counts.delete(key);
      else counts.set(key, holding);
    }
    if (field === "inFlight") this.#inFlight += delta;
    else if (field === "queued") this.#queued += delta;
    else this.#reserved += delta;
  }

  /** The webhook's destination, host and company, its ids remembered for claim exclusions. */
  #partsOf(webhook: WebhookIntegration): Parts {
    const cached = this.#partsCache.get(webhook.id);
    if (
      cached !== undefined &&
      cached.url === webhook.url &&
      cached.bearer === webhook.bearerToken
    ) {
      return cached.parts;
    }
    const parts = {
      destination: destinationKey(webhook),
      host: hostOf(webhook.url),
      company: webhook.companyId,
    };
    remember(this.#webhookIdsBy, parts.destination, webhook.id);
    remember(this.#webhookIdsByHost, parts.host, webhook.id);
    this.#partsCache.set(webhook.id, { url: webhook.url, bearer: webhook.bearerToken, parts });
    return parts;
  }
}

interface Parts {
  destination: string;
  host: string;
  company: string;
}

const EMPTY: Held = { inFlight: 0, queued: 0, reserved: 0 };

function held(counts: Map<string, Held>, key: string): Held {
  return counts.get(key) ?? EMPTY;
}

function total(holding: Held): number {
  return holding.inFlight + holding.queued + holding.reserved;
}

function remember(index: Map<string, Set<string>>, key: string, id: string): void {
  let ids = index.get(key);
  if (ids === undefined) {
    ids = new Set();
    index.set(key, ids);
  }
  ids.add(id);
}

/** `host:port` of a URL, lower-cased (the URL itself when it does not parse). */
function hostOf(url: string): string {
  return URL.parse(url)?.host ?? url;
}
