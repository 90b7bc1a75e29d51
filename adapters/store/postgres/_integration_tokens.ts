/**
 * The token rows of an integration in Postgres, written inside the integration store's
 * transactions (the integration row locked first).
 *
 * @module
 */
import { and, eq, ne } from "drizzle-orm";
import type { TokenRecord } from "../../../core/domain.ts";
import type { PgExecutor } from "./pg_runner.ts";
import { tokens } from "./schema/tokens.ts";

/**
 * Inserts the integration's token row.
 *
 * @throws {TypeError} (rejects) When the token names another integration.
 */
export async function insertToken(
  tx: PgExecutor,
  integrationId: string,
  token: TokenRecord,
): Promise<void> {
  if (token.integrationId !== integrationId) {
    throw new TypeError(
      `Cannot store token for integration "${integrationId}": it names "${token.integrationId}"`,
    );
  }
  await tx.insert(tokens).values({
    hash: token.hash,
    integrationId,
    status: token.status,
    createdAt: token.createdAt,
    expiresAt: token.expiresAt,
  });
}

/** Revokes every token not yet revoked; returns their hashes. */
export async function revokeAll(tx: PgExecutor, integrationId: string): Promise<string[]> {
  const revoked = await tx
    .update(tokens)
    .set({ status: "revoked" })
    .where(and(eq(tokens.integrationId, integrationId), ne(tokens.status, "revoked")))
    .returning({ hash: tokens.hash });
  return revoked.map((t) => t.hash);
}
