/**
 * Integrations: webhooks and custom (token) integrations, and the token hashes.
 *
 * @module
 */
import type {
  CustomIntegration,
  DisabledReason,
  EventType,
  Integration,
  RateLimit,
  SigningSecret,
  TokenRecord,
  WebhookIntegration,
} from "../domain.ts";
import type { Page, PageRequest } from "./page.ts";

/** Fields of an integration that an admin may change. */
export interface IntegrationPatch {
  name?: string;
  enabled?: boolean;
  /** Set by the server when it turns a webhook off; cleared when an admin re-enables it. */
  disabledReason?: DisabledReason | null;
  url?: string;
  bearerToken?: string | null;
  events?: EventType[] | null;
  expiresAt?: Date | null;
  rateLimit?: RateLimit | null;
}

/** Stores integrations; only hashes of tokens, and webhook secrets encrypted at rest. */
export interface IntegrationStore {
  createWebhook(webhook: WebhookIntegration): Promise<void>;
  /** Creates a custom integration with its first token, in one transaction. */
  createCustom(integration: CustomIntegration, token: TokenRecord): Promise<void>;
  getIntegration(companyId: string, id: string): Promise<Integration | null>;
  listIntegrations(companyId: string, page: PageRequest): Promise<Page<Integration>>;
  /** Every webhook of a company, enabled or not: the input of the union rule. */
  listWebhooks(companyId: string): Promise<WebhookIntegration[]>;
  updateIntegration(
    companyId: string,
    id: string,
    patch: IntegrationPatch,
    at: Date,
  ): Promise<Integration | null>;
  /** Deletes the integration and revokes its tokens; false when there was none. */
  deleteIntegration(companyId: string, id: string): Promise<boolean>;
  /**
   * Marks the current token `rotated` and stores the new one as `active`, in one transaction.
   * Returns the hashes that stopped working (for cache invalidation), or null when not found.
   */
  rotateToken(
    companyId: string,
    id: string,
    next: TokenRecord,
    options: { prefix: string; at: Date },
  ): Promise<{ invalidated: string[] } | null>;
  /** Marks every token of the integration `revoked`; returns their hashes, or null. */
  revokeTokens(companyId: string, id: string, at: Date): Promise<{ invalidated: string[] } | null>;
  /** Puts `next` first and keeps the previous current secret until `previousExpiresAt`. */
  rotateSigningSecret(
    companyId: string,
    id: string,
    next: SigningSecret,
    previousExpiresAt: Date,
  ): Promise<WebhookIntegration | null>;
  /** Best-effort bookkeeping of `lastUsedAt`; adapters may coalesce writes. */
  touchTokenUse(integrationId: string, at: Date): void;
}
