/**
 * {@linkcode IntegrationStore} on SQLite: webhooks and custom integrations in one table,
 * token hashes beside them, webhook secrets sealed with the SecretBox.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { and, asc, desc, eq, isNull, lt, sql } from "drizzle-orm";
import { type BunSQLiteDatabase, drizzle } from "drizzle-orm/bun-sqlite";
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
import {
  customToColumns,
  liveIntegrationRow,
  sealIntegrationPatch,
  webhookToColumns,
} from "./_integration_columns.ts";
import { type IntegrationRow, integrationFromRow, webhookFromRow } from "./_rows.ts";
import { integrations } from "./schema/integrations.ts";
import { CHANGED } from "./writer/_integration_ops.ts";
import type { SqliteWriter } from "./writer/sqlite_writer.ts";

/** `touchTokenUse` writes at most once per integration per this many ms. */
const TOUCH_INTERVAL_MS = 1_000;

/**
 * Integrations in SQLite. Deleting one soft-deletes the row (deliveries and tokens keep their
 * foreign keys) and revokes its tokens; deleted integrations are invisible to every read here.
 * Secrets are sealed here before a write and opened here after it: the writer never holds
 * the SecretBox.
 *
 * @example
 * ```ts
 * const store = new SqliteIntegrationStore(db, writes, box, { onError: (e) => log.error(e) });
 * const hooks = await store.listWebhooks("co_…");
 * ```
 */
export class SqliteIntegrationStore implements IntegrationStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #box: SecretBox;
  readonly #writes: SqliteWriter;
  readonly #onError: (error: unknown) => void;
  readonly #lastTouch = new Map<string, number>();
  readonly #webhooks;

  /**
   * @param db An open, migrated connection (reads).
   * @param writes The store's writer (writes, in call order across stores).
   * @param box Seals and opens bearer tokens and signing secrets.
   * @param options.onError Receives failures of the fire-and-forget `touchTokenUse` writes;
   *   default `console.error`.
   */
  constructor(
    db: Database,
    writes: SqliteWriter,
    box: SecretBox,
    options: { onError?: (error: unknown) => void } = {},
  ) {
    this.#orm = drizzle({ client: db });
    this.#box = box;
    this.#writes = writes;
    this.#onError = options.onError ?? ((error) => console.error(error));
    this.#webhooks = this.#orm
      .select()
      .from(integrations)
      .where(
        and(
          eq(integrations.companyId, sql.placeholder("companyId")),
          eq(integrations.kind, "webhook"),
          isNull(integrations.deletedAt),
        ),
      )
      .orderBy(asc(integrations.id))
      .prepare();
  }

  createWebhook(webhook: WebhookIntegration): Promise<void> {
    return this.#writes.write("integrations.insert", [webhookToColumns(webhook, this.#box)]);
  }

  createCustom(integration: CustomIntegration, token: TokenRecord): Promise<void> {
    return this.#writes.write("integrations.insertCustom", [customToColumns(integration), token]);
  }

  getIntegration(companyId: string, id: string): Promise<Integration | null> {
    const row = this.#liveRow(companyId, id);
    return Promise.resolve(row === null ? null : integrationFromRow(row, this.#box));
  }

  listIntegrations(companyId: string, page: PageRequest): Promise<Page<Integration>> {
    const rows = this.#orm
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
      .limit(fetchSize(page))
      .all();
    return Promise.resolve(
      toPage(
        rows.map((r) => integrationFromRow(r, this.#box)),
        page,
      ),
    );
  }

  listWebhooks(companyId: string): Promise<WebhookIntegration[]> {
    const rows = this.#webhooks.all({ companyId });
    return Promise.resolve(rows.map((row) => webhookFromRow(row, this.#box)));
  }

  /**
   * Applies `patch`. `enabled: true` without a `disabledReason` also clears the reason (an
   * admin re-enabling a webhook the server turned off, docs/api.md#admin-api). A new `expiresAt` of a
   * custom integration also applies to its active token.
   *
   * @throws {TypeError} (rejects) When the patch sets a field of the other kind
   *   (`url` on a custom integration, `rateLimit` on a webhook, …).
   */
  async updateIntegration(
    companyId: string,
    id: string,
    patch: IntegrationPatch,
    at: Date,
  ): Promise<Integration | null> {
    const sealed = sealIntegrationPatch(patch, this.#box);
    const row = await this.#writes.write("integrations.update", [
      companyId,
      id,
      sealed,
      at.getTime(),
    ]);
    return row === null ? null : integrationFromRow(row, this.#box);
  }

  deleteIntegration(companyId: string, id: string): Promise<boolean> {
    return this.#writes.write("integrations.delete", [companyId, id, Date.now()]);
  }

  rotateToken(
    companyId: string,
    id: string,
    next: TokenRecord,
    options: { prefix: string; at: Date },
  ): Promise<{ invalidated: string[] } | null> {
    return this.#writes.write("integrations.rotateToken", [
      companyId,
      id,
      next,
      { prefix: options.prefix, atMs: options.at.getTime() },
    ]);
  }

  revokeTokens(companyId: string, id: string, at: Date): Promise<{ invalidated: string[] } | null> {
    return this.#writes.write("integrations.revokeTokens", [companyId, id, at.getTime()]);
  }

  /**
   * Puts `next` first, gives the current secret `previousExpiresAt`, and drops older secrets
   * already expired at `next.createdAt` (the rotation time).
   */
  async rotateSigningSecret(
    companyId: string,
    id: string,
    next: SigningSecret,
    previousExpiresAt: Date,
  ): Promise<WebhookIntegration | null> {
    const rotatedAt = next.createdAt.getTime();
    // The secrets are opened and sealed here (the writer has no key), and replaced only if no
    // other rotation committed in between; if one did, start again from its secrets.
    for (;;) {
      const row = this.#liveRow(companyId, id);
      if (row === null || row.kind !== "webhook" || row.signingSecretsSealed === null) return null;
      const secrets = rotatedSigningSecrets(
        openSigningSecrets(row.signingSecretsSealed, this.#box),
        next,
        previousExpiresAt,
      );
      const replaced = await this.#writes.write("integrations.replaceSigningSecrets", [
        companyId,
        id,
        {
          expected: row.signingSecretsSealed,
          next: sealSigningSecrets(secrets, this.#box),
        },
        rotatedAt,
      ]);
      if (replaced === CHANGED) continue;
      return replaced === null ? null : webhookFromRow(replaced, this.#box);
    }
  }

  /**
   * Records `lastUsedAt` without making the caller wait. Coalesced: at most one write per
   * integration per second of `at`; `lastUsedAt` never moves backwards.
   */
  touchTokenUse(integrationId: string, at: Date): void {
    const ms = at.getTime();
    const last = this.#lastTouch.get(integrationId);
    if (last !== undefined && ms - last < TOUCH_INTERVAL_MS) return;
    this.#lastTouch.set(integrationId, ms);
    this.#writes.write("integrations.touch", [integrationId, ms]).catch(this.#onError);
  }

  #liveRow(companyId: string, id: string): IntegrationRow | null {
    return liveIntegrationRow(this.#orm, companyId, id);
  }
}
