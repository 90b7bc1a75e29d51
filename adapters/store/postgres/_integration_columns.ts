/**
 * Domain → column mapping of integrations, for inserts and patches.
 *
 * @module
 */
import type { CustomIntegration, Integration, WebhookIntegration } from "../../../core/domain.ts";
import type { IntegrationPatch } from "../../../core/ports/integration_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { sealSigningSecrets } from "../_sealed.ts";
import type { IntegrationRow } from "./_rows.ts";
import type { integrations } from "./schema/integrations.ts";

type Insert = typeof integrations.$inferInsert;
type Columns = Partial<Insert>;

function baseColumns(integration: Integration): Insert {
  return {
    id: integration.id,
    companyId: integration.companyId,
    kind: integration.kind,
    name: integration.name,
    enabled: integration.enabled,
    channelId: integration.channelId,
    createdAt: integration.createdAt,
    updatedAt: integration.updatedAt,
  };
}

/** The row of a new webhook; bearer token and signing secrets sealed. */
export function webhookToColumns(webhook: WebhookIntegration, box: SecretBox): Insert {
  return {
    ...baseColumns(webhook),
    scope: webhook.scope,
    url: webhook.url,
    bearerTokenSealed: webhook.bearerToken === null ? null : box.encrypt(webhook.bearerToken),
    events: webhook.events,
    disabledReason: webhook.disabledReason,
    signingSecretsSealed: sealSigningSecrets(webhook.signingSecrets, box),
    // Older callers may build webhooks without the field: a new webhook is healthy.
    failingSince: webhook.failingSince ?? null,
  };
}

/** The row of a new custom integration. */
export function customToColumns(integration: CustomIntegration): Insert {
  return {
    ...baseColumns(integration),
    tokenPrefix: integration.tokenPrefix,
    tokenCreatedAt: integration.tokenCreatedAt,
    rotatedAt: integration.rotatedAt,
    lastUsedAt: integration.lastUsedAt,
    expiresAt: integration.expiresAt,
    rateLimitPerSecond: integration.rateLimit?.perSecond ?? null,
    rateLimitBurst: integration.rateLimit?.burst ?? null,
  };
}

const WEBHOOK_ONLY = ["url", "bearerToken", "events"] as const;
const CUSTOM_ONLY = ["expiresAt", "rateLimit"] as const;

/**
 * The column changes `patch` makes to `row`.
 *
 * @throws {TypeError} When the patch sets a field that the row's kind does not have.
 */
export function patchToColumns(
  row: IntegrationRow,
  patch: IntegrationPatch,
  box: SecretBox,
): Columns {
  const foreign = row.kind === "webhook" ? CUSTOM_ONLY : WEBHOOK_ONLY;
  const misplaced: string[] = foreign.filter((field) => patch[field] !== undefined);
  // A custom integration has no disabledReason, but clearing it is harmless.
  if (row.kind === "custom" && patch.disabledReason != null) misplaced.push("disabledReason");
  if (misplaced.length > 0) {
    throw new TypeError(
      `Cannot patch ${misplaced.map((f) => `"${f}"`).join(", ")} of integration "${row.id}": it is a ${row.kind} integration`,
    );
  }

  const set: Columns = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (row.kind === "webhook") {
    if (patch.disabledReason !== undefined) set.disabledReason = patch.disabledReason;
    // docs/api.md#admin-api: `PATCH { "enabled": true }` re-enables, so the server's reason goes away.
    else if (patch.enabled === true) set.disabledReason = null;
    // Re-enabling a disabled webhook starts a fresh failing run: an old one would turn it
    // off again at its next failure (docs/api.md#webhooks, 5 days of failures).
    if (patch.enabled === true && !row.enabled) set.failingSince = null;
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.bearerToken !== undefined) {
      set.bearerTokenSealed = patch.bearerToken === null ? null : box.encrypt(patch.bearerToken);
    }
    if (patch.events !== undefined) set.events = patch.events;
  } else {
    if (patch.expiresAt !== undefined) set.expiresAt = patch.expiresAt;
    if (patch.rateLimit !== undefined) {
      set.rateLimitPerSecond = patch.rateLimit?.perSecond ?? null;
      set.rateLimitBurst = patch.rateLimit?.burst ?? null;
    }
  }
  return set;
}
