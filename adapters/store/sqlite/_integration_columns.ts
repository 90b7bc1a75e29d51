/**
 * Domain → column mapping of integrations, for inserts and patches.
 *
 * @module
 */
import { and, eq, isNull } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { CustomIntegration, Integration, WebhookIntegration } from "../../../core/domain.ts";
import type { IntegrationPatch } from "../../../core/ports/integration_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { sealSigningSecrets } from "../_sealed.ts";
import { type IntegrationRow, msOrNull } from "./_rows.ts";
import { integrations } from "./schema/integrations.ts";

type Insert = typeof integrations.$inferInsert;
type Columns = Partial<Insert>;

function baseColumns(integration: Integration): Insert {
  return {
    id: integration.id,
    companyId: integration.companyId,
    kind: integration.kind,
    name: integration.name,
    enabled: integration.enabled ? 1 : 0,
    channelId: integration.channelId,
    createdAt: integration.createdAt.getTime(),
    updatedAt: integration.updatedAt.getTime(),
  };
}

/** The row of a new webhook; bearer token and signing secrets sealed. */
export function webhookToColumns(webhook: WebhookIntegration, box: SecretBox): Insert {
  return {
    ...baseColumns(webhook),
    scope: webhook.scope,
    url: webhook.url,
    bearerTokenSealed: webhook.bearerToken === null ? null : box.encrypt(webhook.bearerToken),
    events: webhook.events === null ? null : JSON.stringify(webhook.events),
    disabledReason: webhook.disabledReason,
    signingSecretsSealed: sealSigningSecrets(webhook.signingSecrets, box),
    failingSince: msOrNull(webhook.failingSince),
  };
}

/** The row of a new custom integration. */
export function customToColumns(integration: CustomIntegration): Insert {
  return {
    ...baseColumns(integration),
    tokenPrefix: integration.tokenPrefix,
    tokenCreatedAt: integration.tokenCreatedAt.getTime(),
    rotatedAt: msOrNull(integration.rotatedAt),
    lastUsedAt: msOrNull(integration.lastUsedAt),
    expiresAt: msOrNull(integration.expiresAt),
    rateLimitPerSecond: integration.rateLimit?.perSecond ?? null,
    rateLimitBurst: integration.rateLimit?.burst ?? null,
  };
}

/**
 * A patch as it reaches the write: the bearer token already sealed (the SecretBox stays on the
 * main thread), so the value can cross to the writer thread without a secret in clear.
 */
export type SealedIntegrationPatch = Omit<IntegrationPatch, "bearerToken"> & {
  bearerTokenSealed?: string | null;
};

/** `patch` with its bearer token sealed. */
export function sealIntegrationPatch(
  patch: IntegrationPatch,
  box: SecretBox,
): SealedIntegrationPatch {
  const { bearerToken, ...rest } = patch;
  if (bearerToken === undefined) return rest;
  return { ...rest, bearerTokenSealed: bearerToken === null ? null : box.encrypt(bearerToken) };
}

const WEBHOOK_ONLY = ["url", "bearerTokenSealed", "events"] as const;
const CUSTOM_ONLY = ["expiresAt", "rateLimit"] as const;
/** The names callers know the fields by. */
const FIELD_NAMES: Record<string, string> = { bearerTokenSealed: "bearerToken" };

/**
 * The column changes `patch` makes to `row`.
 *
 * @throws {TypeError} When the patch sets a field that the row's kind does not have.
 */
export function patchToColumns(row: IntegrationRow, patch: SealedIntegrationPatch): Columns {
  const foreign = row.kind === "webhook" ? CUSTOM_ONLY : WEBHOOK_ONLY;
  const misplaced: string[] = foreign
    .filter((field) => patch[field] !== undefined)
    .map((field) => FIELD_NAMES[field] ?? field);
  // A custom integration has no disabledReason, but clearing it is harmless.
  if (row.kind === "custom" && patch.disabledReason != null) misplaced.push("disabledReason");
  if (misplaced.length > 0) {
    throw new TypeError(
      `Cannot patch ${misplaced.map((f) => `"${f}"`).join(", ")} of integration "${row.id}": it is a ${row.kind} integration`,
    );
  }

  const set: Columns = {};
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.enabled !== undefined) set.enabled = patch.enabled ? 1 : 0;
  if (row.kind === "webhook") {
    if (patch.disabledReason !== undefined) set.disabledReason = patch.disabledReason;
    // docs/api.md#admin-api: `PATCH { "enabled": true }` re-enables, so the server's reason goes away.
    else if (patch.enabled === true) set.disabledReason = null;
    // Re-enabling a disabled webhook starts a fresh failing run: an old one would turn it
    // off again at its next failure (docs/api.md#webhooks, 5 days of failures).
    if (patch.enabled === true && row.enabled === 0) set.failingSince = null;
    if (patch.url !== undefined) set.url = patch.url;
    if (patch.bearerTokenSealed !== undefined) set.bearerTokenSealed = patch.bearerTokenSealed;
    if (patch.events !== undefined) {
      set.events = patch.events === null ? null : JSON.stringify(patch.events);
    }
  } else {
    if (patch.expiresAt !== undefined) set.expiresAt = msOrNull(patch.expiresAt);
    if (patch.rateLimit !== undefined) {
      set.rateLimitPerSecond = patch.rateLimit?.perSecond ?? null;
      set.rateLimitBurst = patch.rateLimit?.burst ?? null;
    }
  }
  return set;
}

/** The row of a live (not deleted) integration of `companyId`, or null. */
export function liveIntegrationRow(
  orm: BunSQLiteDatabase,
  companyId: string,
  id: string,
): IntegrationRow | null {
  return (
    orm
      .select()
      .from(integrations)
      .where(
        and(
          eq(integrations.companyId, companyId),
          eq(integrations.id, id),
          isNull(integrations.deletedAt),
        ),
      )
      .get() ?? null
  );
}
