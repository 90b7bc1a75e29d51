/**
 * {@linkcode IntegrationStore} on SQLite: webhooks and custom integrations in one table,
 * token hashes beside them, webhook secrets sealed with the SecretBox.
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, asc, desc, eq, isNull, lt, ne, sql } from "drizzle-orm";
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
import type { SecretBox } from "../../crypto/secret_box.ts";
import { fetchSize, toPage } from "../_page.ts";
import { customToColumns, patchToColumns, webhookToColumns } from "./_integration_columns.ts";
import {
  type IntegrationRow,
  integrationFromRow,
  msOrNull,
  openSigningSecrets,
  sealSigningSecrets,
  webhookFromRow,
} from "./_rows.ts";
import { GroupCommit } from "./group_commit.ts";
import { integrations } from "./schema/integrations.ts";
import { tokens } from "./schema/tokens.ts";

/** `touchTokenUse` writes at most once per integration per this many ms. */
const TOUCH_INTERVAL_MS = 1_000;

/**
 * Integrations in SQLite. Deleting one soft-deletes the row (deliveries and tokens keep their
 * foreign keys) and revokes its tokens; deleted integrations are invisible to every read here.
 *
 * @example
 * ```ts
 * const store = new SqliteIntegrationStore(db, box, { onError: (e) => log.error(e) });
 * const hooks = await store.listWebhooks("co_…");
 * ```
 */
export class SqliteIntegrationStore implements IntegrationStore {
  readonly #orm: BunSQLiteDatabase;
  readonly #box: SecretBox;
  readonly #writes: GroupCommit;
  readonly #onError: (error: unknown) => void;
  readonly #lastTouch = new Map<string, number>();
  readonly #webhooks;
  readonly #touch: Statement<unknown, [string, number]>;

  /**
   * @param db An open, migrated connection.
   * @param box Seals and opens bearer tokens and signing secrets.
   * @param options.onError Receives failures of the fire-and-forget `touchTokenUse` writes;
   *   default `console.error`.
   */
  constructor(db: Database, box: SecretBox, options: { onError?: (error: unknown) => void } = {}) {
    this.#orm = drizzle({ client: db });
    this.#box = box;
    this.#writes = GroupCommit.for(db);
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
    this.#touch = db.prepare(
      `UPDATE integrations SET last_used_at = ?2
       WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?2)`,
    );
  }

  createWebhook(webhook: WebhookIntegration): Promise<void> {
    return this.#writes.write(() => {
      this.#orm.insert(integrations).values(webhookToColumns(webhook, this.#box)).run();
    });
  }

  createCustom(integration: CustomIntegration, token: TokenRecord): Promise<void> {
    return this.#writes.write(() => {
      this.#orm.insert(integrations).values(customToColumns(integration)).run();
      this.#insertToken(integration.id, token);
    });
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
   * admin re-enabling a webhook the server turned off, SPEC.md §6). A new `expiresAt` of a
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
    return this.#writes.write(() => {
      const row = this.#liveRow(companyId, id);
      if (row === null) return null;
      const set = patchToColumns(row, patch, this.#box);
      this.#orm
        .update(integrations)
        .set({ ...set, updatedAt: at.getTime() })
        .where(eq(integrations.id, id))
        .run();
      if (row.kind === "custom" && patch.expiresAt !== undefined) {
        this.#orm
          .update(tokens)
          .set({ expiresAt: msOrNull(patch.expiresAt) })
          .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")))
          .run();
      }
      const updated = this.#liveRow(companyId, id);
      return updated === null ? null : integrationFromRow(updated, this.#box);
    });
  }

  deleteIntegration(companyId: string, id: string): Promise<boolean> {
    return this.#writes.write(() => {
      const row = this.#liveRow(companyId, id);
      if (row === null) return false;
      const now = Date.now();
      this.#orm
        .update(integrations)
        .set({ deletedAt: now, updatedAt: now })
        .where(eq(integrations.id, id))
        .run();
      this.#revokeAll(id);
      return true;
    });
  }

  rotateToken(
    companyId: string,
    id: string,
    next: TokenRecord,
    options: { prefix: string; at: Date },
  ): Promise<{ invalidated: string[] } | null> {
    return this.#writes.write(() => {
      const row = this.#liveRow(companyId, id);
      if (row === null || row.kind !== "custom") return null;
      const invalidated = this.#orm
        .update(tokens)
        .set({ status: "rotated" })
        .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")))
        .returning({ hash: tokens.hash })
        .all()
        .map((t) => t.hash);
      this.#insertToken(id, { ...next, status: "active" });
      this.#orm
        .update(integrations)
        .set({
          tokenPrefix: options.prefix,
          tokenCreatedAt: next.createdAt.getTime(),
          rotatedAt: options.at.getTime(),
          updatedAt: options.at.getTime(),
        })
        .where(eq(integrations.id, id))
        .run();
      return { invalidated };
    });
  }

  revokeTokens(companyId: string, id: string, at: Date): Promise<{ invalidated: string[] } | null> {
    return this.#writes.write(() => {
      if (this.#liveRow(companyId, id) === null) return null;
      const invalidated = this.#revokeAll(id);
      this.#orm
        .update(integrations)
        .set({ updatedAt: at.getTime() })
        .where(eq(integrations.id, id))
        .run();
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
    return this.#writes.write(() => {
      const row = this.#liveRow(companyId, id);
      if (row === null || row.kind !== "webhook" || row.signingSecretsSealed === null) return null;
      const rotatedAt = next.createdAt.getTime();
      const kept = openSigningSecrets(row.signingSecretsSealed, this.#box)
        .map((s) => ({ ...s, expiresAt: s.expiresAt ?? previousExpiresAt }))
        .filter((s) => s.expiresAt.getTime() > rotatedAt);
      this.#orm
        .update(integrations)
        .set({
          signingSecretsSealed: sealSigningSecrets([next, ...kept], this.#box),
          updatedAt: rotatedAt,
        })
        .where(eq(integrations.id, id))
        .run();
      const updated = this.#liveRow(companyId, id);
      return updated === null ? null : webhookFromRow(updated, this.#box);
    });
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
    this.#writes.write(() => this.#touch.run(integrationId, ms)).catch(this.#onError);
  }

  #liveRow(companyId: string, id: string): IntegrationRow | null {
    const row = this.#orm
      .select()
      .from(integrations)
      .where(
        and(
          eq(integrations.companyId, companyId),
          eq(integrations.id, id),
          isNull(integrations.deletedAt),
        ),
      )
      .get();
    return row ?? null;
  }

  #insertToken(integrationId: string, token: TokenRecord): void {
    if (token.integrationId !== integrationId) {
      throw new TypeError(
        `Cannot store token for integration "${integrationId}": it names "${token.integrationId}"`,
      );
    }
    this.#orm
      .insert(tokens)
      .values({
        hash: token.hash,
        integrationId,
        status: token.status,
        createdAt: token.createdAt.getTime(),
        expiresAt: msOrNull(token.expiresAt),
      })
      .run();
  }

  /** Revokes every token not yet revoked; returns their hashes. */
  #revokeAll(integrationId: string): string[] {
    return this.#orm
      .update(tokens)
      .set({ status: "revoked" })
      .where(and(eq(tokens.integrationId, integrationId), ne(tokens.status, "revoked")))
      .returning({ hash: tokens.hash })
      .all()
      .map((t) => t.hash);
  }
}
