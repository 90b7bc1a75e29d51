/**
 * Every event needs its company's webhooks for the union rule; reading them once per event
 * would put a query on the send path. This keeps them per company until an admin change.
 *
 * @module
 */
import type { WebhookIntegration } from "../../core/domain.ts";
import type { IntegrationStore } from "../../core/ports/integration_store.ts";
import type { WorkSignal } from "../../core/ports/work_signal.ts";

/** A per-company cache of webhooks, invalidated by every integration write. */
export class WebhookDirectory {
  readonly #store: IntegrationStore;
  readonly #byCompany = new Map<string, Promise<WebhookIntegration[]>>();

  readonly #changes: WorkSignal | undefined;

  /**
   * @param options.changes tells every instance that webhooks changed (through Redis when
   *   several instances run); each instance then forgets all it keeps
   */
  constructor(store: IntegrationStore, options: { changes?: WorkSignal } = {}) {
    this.#store = store;
    this.#changes = options.changes;
    this.#changes?.subscribe(() => this.#byCompany.clear());
  }

  /** The company's webhooks, enabled or not. */
  forCompany(companyId: string): Promise<WebhookIntegration[]> {
    let webhooks = this.#byCompany.get(companyId);
    if (webhooks === undefined) {
      webhooks = this.#store.listWebhooks(companyId);
      this.#byCompany.set(companyId, webhooks);
      // A failed read must not stay cached.
      webhooks.catch(() => this.#byCompany.delete(companyId));
    }
    return webhooks;
  }

  /** Forgets a company's webhooks after any of its integrations changed. */
  invalidate(companyId: string): void {
    this.#byCompany.delete(companyId);
    this.#changes?.notify();
  }
}
