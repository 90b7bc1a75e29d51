/**
 * Write operations of the integration store. Secrets arrive sealed and rows leave sealed: the
 * SecretBox stays on the main thread, so rotating signing secrets (which must open the current
 * ones) is a compare-and-swap of the sealed column (see `integrations.replaceSigningSecrets`).
 *
 * @module
 */
import type { Database, Statement } from "bun:sqlite";
import { and, eq, ne } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { TokenRecord } from "../../../../core/domain.ts";
import {
  liveIntegrationRow,
  patchToColumns,
  type SealedIntegrationPatch,
} from "../_integration_columns.ts";
import { type IntegrationRow, msOrNull } from "../_rows.ts";
import { integrations } from "../schema/integrations.ts";
import { tokens } from "../schema/tokens.ts";

/** An integration row as inserted: its secrets already sealed. */
export type IntegrationInsert = typeof integrations.$inferInsert;

/** The answer of a compare-and-swap whose expected value was no longer there. */
export const CHANGED = "CHANGED";

/** The integration writes on `db` (see {@linkcode createWriteOps}). */
export function integrationOps(db: Database) {
  const orm = drizzle({ client: db });
  const touch: Statement<unknown, [string, number]> = db.prepare(
    `UPDATE integrations SET last_used_at = ?2
     WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?2)`,
  );
  const liveRow = (companyId: string, id: string): IntegrationRow | null =>
    liveIntegrationRow(orm, companyId, id);
  const insertToken = (integrationId: string, token: TokenRecord): void => {
    if (token.integrationId !== integrationId) {
      throw new TypeError(
        `Cannot store token for integration "${integrationId}": it names "${token.integrationId}"`,
      );
    }
    orm
      .insert(tokens)
      .values({
        hash: token.hash,
        integrationId,
        status: token.status,
        createdAt: token.createdAt.getTime(),
        expiresAt: msOrNull(token.expiresAt),
      })
      .run();
  };
  /** Revokes every token not yet revoked; returns their hashes. */
  const revokeAll = (integrationId: string): string[] =>
    orm
      .update(tokens)
      .set({ status: "revoked" })
      .where(and(eq(tokens.integrationId, integrationId), ne(tokens.status, "revoked")))
      .returning({ hash: tokens.hash })
      .all()
      .map((t) => t.hash);
  const setUpdatedAt = (id: string, set: Partial<IntegrationInsert>): void => {
    orm.update(integrations).set(set).where(eq(integrations.id, id)).run();
  };

  return {
    "integrations.insert": (row: IntegrationInsert): void => {
      orm.insert(integrations).values(row).run();
    },
    "integrations.insertCustom": (row: IntegrationInsert, token: TokenRecord): void => {
      orm.insert(integrations).values(row).run();
      insertToken(row.id, token);
    },
    /**
     * Applies `patch` to a live integration; a new `expiresAt` of a custom integration also
     * applies to its active token. Returns the row afterwards, null when not live.
     *
     * @throws {TypeError} When the patch sets a field of the other kind.
     */
    "integrations.update": (
      companyId: string,
      id: string,
      patch: SealedIntegrationPatch,
      atMs: number,
    ): IntegrationRow | null => {
      const row = liveRow(companyId, id);
      if (row === null) return null;
      setUpdatedAt(id, { ...patchToColumns(row, patch), updatedAt: atMs });
      if (row.kind === "custom" && patch.expiresAt !== undefined) {
        orm
          .update(tokens)
          .set({ expiresAt: msOrNull(patch.expiresAt) })
          .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")))
          .run();
      }
      return liveRow(companyId, id);
    },
    /** Soft-deletes the integration and revokes its tokens; false when there was none. */
    "integrations.delete": (companyId: string, id: string, atMs: number): boolean => {
      if (liveRow(companyId, id) === null) return false;
      setUpdatedAt(id, { deletedAt: atMs, updatedAt: atMs });
      revokeAll(id);
      return true;
    },
    "integrations.rotateToken": (
      companyId: string,
      id: string,
      next: TokenRecord,
      options: { prefix: string; atMs: number },
    ): { invalidated: string[] } | null => {
      const row = liveRow(companyId, id);
      if (row === null || row.kind !== "custom") return null;
      const invalidated = orm
        .update(tokens)
        .set({ status: "rotated" })
        .where(and(eq(tokens.integrationId, id), eq(tokens.status, "active")))
        .returning({ hash: tokens.hash })
        .all()
        .map((t) => t.hash);
      insertToken(id, { ...next, status: "active" });
      setUpdatedAt(id, {
        tokenPrefix: options.prefix,
        tokenCreatedAt: next.createdAt.getTime(),
        rotatedAt: options.atMs,
        updatedAt: options.atMs,
      });
      return { invalidated };
    },
    "integrations.revokeTokens": (
      companyId: string,
      id: string,
      atMs: number,
    ): { invalidated: string[] } | null => {
      if (liveRow(companyId, id) === null) return null;
      const invalidated = revokeAll(id);
      setUpdatedAt(id, { updatedAt: atMs });
      return { invalidated };
    },
    /**
     * Replaces a live webhook's sealed signing secrets with `next` if they are still
     * `expected` (what the caller opened and rotated). Returns the row afterwards,
     * {@linkcode CHANGED} when another rotation came first (the caller starts again from the
     * new secrets), null when there is no such live webhook.
     */
    "integrations.replaceSigningSecrets": (
      companyId: string,
      id: string,
      secrets: { expected: string; next: string },
      atMs: number,
    ): IntegrationRow | typeof CHANGED | null => {
      const row = liveRow(companyId, id);
      if (row === null || row.kind !== "webhook" || row.signingSecretsSealed === null) return null;
      if (row.signingSecretsSealed !== secrets.expected) return CHANGED;
      setUpdatedAt(id, { signingSecretsSealed: secrets.next, updatedAt: atMs });
      return liveRow(companyId, id);
    },
    /** Moves `lastUsedAt` forward to `atMs` (never backwards). */
    "integrations.touch": (integrationId: string, atMs: number): void => {
      touch.run(integrationId, atMs);
    },
  };
}
