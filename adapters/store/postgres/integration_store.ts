/**
 * {@linkcode IntegrationStore} on Postgres: webhooks and custom integrations in one table,
 * token hashes beside them, webhook secrets sealed with the SecretBox.
 *
 * @module
 */
import { and, asc, desc, eq, isNull, lt, or } from "drizzle-orm";
import type {
  CustomIntegration,
  Integration,
  SigningSecret,
  TokenRecord,
  WebhookIntegration,
} from "../../../core/domain.ts";
import type { IntegrationPatch, IntegrationStore } from "../../../core/ports/integration_store.ts";
import type { Page, PageRequest } from "../../../core/ports/page.ts";
import { rotatedSigningSecrets } from "../../../core/signing_secrets.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { openSigningSecrets, sealSigningSecrets } from "../_sealed.ts";
import { customToColumns, patchToColumns, webhookToColumns } from "./_integration_columns.ts";
import { insertToken, revokeAll } from "./_integration_tokens.ts";
import { type IntegrationRow, integrationFromRow, webhookFromRow } from "./_rows.ts";
import type { PgExecutor, PgRunner } from "./pg_runner.ts";
import { integrations } from "./schema/integrations.ts";
import { tokens } from "./schema/tokens.ts";

/** `touchTokenUse` writes at most once per integration per this many ms. */
const TOUCH_INTERVAL_MS = 1_000;

/**
 * Integrations in Postgres. Every change that reads before it writes locks the row first
 * (`SELECT … FOR UPDATE`), so two instances rotating the same token or secret at once apply
 * one after the other. Deleting soft-deletes the row (deliveries and tokens keep their foreign
 * keys) and revokes its tokens; deleted integrations are invisible to every read here.
 *
 * @example
 * ```ts
 * const store = new PostgresIntegrationStore(runner, box, { onError: (e) => log.error(e) });
 * const hooks = await store.listWebhooks("co_…");
 * ```
 */
export class PostgresIntegrationStore implements IntegrationStore {
  readonly #db: PgRunner;
  readonly #box: SecretBox;
  readonly #onError: (error: unknown) => void;
  readonly #lastTouch = new Map<string, number>();

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param box Seals and opens bearer tokens and signing secrets.
   * @param options.onError Receives failures of the fire-and-forget `touchTokenUse` writes;
   *   default `console.error`.
   */
  constructor(db: PgRunner, box: SecretBox, options: { onError?: (error: unknown) => void } = {}) {
    this.#db = db;
    this.#box = box;
    this.#onError = options.onError ?? ((error) => console.error(error));
  }

  async createWebhook(webhook: WebhookIntegration): Promise<void> {
    const row = webhookToColumns(webhook, this.#box);
    await this.#db.write((db) => db.insert(integrations).values(row));
  }

  async createCustom(integration: CustomIntegration, token: TokenRecord): Promise<void> {
    await this.#db.transaction(async (tx) => {
      await tx.insert(integrations).values(customToColumns(integration));
      await insertToken(tx, integration.id, token);
    });
  }

  async getIntegration(companyId: string, id: string): Promise<Integration | null> {
    const [row] = await this.#db.read((db) =>
      db.select().from(integrations).where(live(companyId, id)),
    );
    return row === undefined ? null : integrationFromRow(row, this.#box);
  }

  async listIntegrations(companyId: string, page: PageRequest): Promise<Page<Integration>> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(integrations)
        .where(
          and(
            eq(integrations.companyId, companyId),
            isNull(integrations.deletedAt),
            page.cursor === undefined ? undefined : lt(integrations.id, page.cursor),
          ),
        )
        .orderBy(desc(integrations.id))
        .limit(fetchSize(page)),
    );
    return toPage(
      rows.map((r) => integrationFromRow(r, this.#box)),
      page,
    );
  }

  async listWebhooks(companyId: string): Promise<WebhookIntegration[]> {
    const rows = await this.#db.read((db) =>
      db
        .select()
        .from(integrations)
        .where(
          and(
            eq(integrations.companyId, companyId),
            eq(integrations.kind, "webhook"),
            isNull(integrations.deletedAt),
          ),
        )
        .orderBy(asc(integrations.id)),
    );
    return rows.map((row) => webhookFromRow(row, this.#box));
  }

  /**
   * Applies `patch`. `enabled: true` without a `disabledReason` also clears the reason (an
   * admin re-enabling a webhook the server turned off, docs/api.md#admin-api). A new `expiresAt` of a
   * custom integration also applies to its active token.
   *
   * @throws {TypeError} (rejects) When the patch sets a field of the other kind
   *   (`url` on a custom integration, `rateLimit` on a webhook, …).
   */
  updateIntegration(
    companyId: string,
    id: string,
    patch: IntegrationPatch,
    at: Date,
  ): Promise<Integration | null> {
    return this.#db.transaction(async (tx) => {
      const row = await lockLive(tx, companyId, id);
      if (row === null) return null;
      const set = patchToColumns(row, patch, this.#box);
      const [updated] = await tx
        .update(integrations)
        .set({ ...set, updatedAt: at })
        .where(eq(integrations.id, id))
        .returning();
      if (row.kind === "custom" && patch.expiresAt !== undefined) {
        await tx
          .update(tokens)
          .set({ expiresAt: patch.expiresAt })
          .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")));
      }
      return updated === undefined ? null : integrationFromRow(updated, this.#box);
    });
  }

  deleteIntegration(companyId: string, id: string): Promise<boolean> {
    return this.#db.transaction(async (tx) => {
      if ((await lockLive(tx, companyId, id)) === null) return false;
      const now = new Date();
      await tx
        .update(integrations)
        .set({ deletedAt: now, updatedAt: now })
        .where(eq(integrations.id, id));
      await revokeAll(tx, id);
      return true;
    });
  }

  rotateToken(
    companyId: string,
    id: string,
    next: TokenRecord,
    options: { prefix: string; at: Date },
  ): Promise<{ invalidated: string[] } | null> {
    return this.#db.transaction(async (tx) => {
      // The row lock orders concurrent rotations: each sees the token the previous one made.
      const row = await lockLive(tx, companyId, id);
      if (row === null || row.kind !== "custom") return null;
      const rotated = await tx
        .update(tokens)
        .set({ status: "rotated" })
        .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")))
        .returning({ hash: tokens.hash });
      await insertToken(tx, id, { ...next, status: "active" });
      await tx
        .update(integrations)
        .set({
          tokenPrefix: options.prefix,
          tokenCreatedAt: next.createdAt,
          rotatedAt: options.at,
          updatedAt: options.at,
        })
        .where(eq(integrations.id, id));
      return { invalidated: rotated.map((t) => t.hash) };
    });
  }

  revokeTokens(companyId: string, id: string, at: Date): Promise<{ invalidated: string[] } | null> {
    return this.#db.transaction(async (tx) => {
      if ((await lockLive(tx, companyId, id)) === null) return null;
      const invalidated = await revokeAll(tx, id);
      await tx.update(integrations).set({ updatedAt: at }).where(eq(integrations.id, id));
      return { invalidated };
    });
  }

  /**
   * Puts `next` first, gives the current secret `previousExpiresAt`, and drops older secrets
   * already expired at `next.createdAt` (the rotation time).
   */
  rotateSigningSecret(
    companyId: string,
    id: string,
    next: SigningSecret,
    previousExpiresAt: Date,
  ): Promise<WebhookIntegration | null> {
    return this.#db.transaction(async (tx) => {
      const row = await lockLive(tx, companyId, id);
      if (row === null || row.kind !== "webhook" || row.signingSecretsSealed === null) return null;
      const secrets = rotatedSigningSecrets(
        openSigningSecrets(row.signingSecretsSealed, this.#box),
        next,
        previousExpiresAt,
      );
      const [updated] = await tx
        .update(integrations)
        .set({
          signingSecretsSealed: sealSigningSecrets(secrets, this.#box),
          updatedAt: next.createdAt,
        })
        .where(eq(integrations.id, id))
        .returning();
      return updated === undefined ? null : webhookFromRow(updated, this.#box);
    });
  }

  /**
   * Records `lastUsedAt` without making the caller wait. Coalesced: at most one write per
   * integration per second of `at` on this instance; `lastUsedAt` never moves backwards, so
   * instances writing in any order agree, and the write is safe to retry.
   */
  touchTokenUse(integrationId: string, at: Date): void {
    const ms = at.getTime();
    const last = this.#lastTouch.get(integrationId);
    if (last !== undefined && ms - last < TOUCH_INTERVAL_MS) return;
    this.#lastTouch.set(integrationId, ms);
    this.#db
      .write(
        (db) =>
          db
            .update(integrations)
            .set({ lastUsedAt: at })
            .where(
              and(
                eq(integrations.id, integrationId),
                or(isNull(integrations.lastUsedAt), lt(integrations.lastUsedAt, at)),
              ),
            ),
        { idempotent: true },
      )
      .catch(this.#onError);
  }
}

function live(companyId: string, id: string) {
  return and(
    eq(integrations.companyId, companyId),
    eq(integrations.id, id),
    isNull(integrations.deletedAt),
  );
}

/** The live row, locked until the transaction ends; null when there is none. */
async function lockLive(
  tx: PgExecutor,
  companyId: string,
  id: string,
): Promise<IntegrationRow | null> {
  const [row] = await tx.select().from(integrations).where(live(companyId, id)).for("update");
  return row ?? null;
}
