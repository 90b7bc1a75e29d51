/**
 * {@linkcode TokenStore} on SQLite: the hot lookup of every send.
 *
 * @module
 */
import type { Database } from "bun:sqlite";
import { and, eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/bun-sqlite";
import type { TokenMatch, TokenStore } from "../../../core/ports/token_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { channelFromRow, companyFromRow, customFromRow, tokenFromRow } from "./_rows.ts";
import { channels } from "./schema/channels.ts";
import { companies } from "./schema/companies.ts";
import { integrations } from "./schema/integrations.ts";
import { tokens } from "./schema/tokens.ts";

/**
 * Resolves a token hash with one prepared query joining token → integration → company →
 * channel. Tokens of deleted integrations are still found (with status `revoked`), so the
 * caller can tell a revoked token from one never issued.
 *
 * @example
 * ```ts
 * const match = await new SqliteTokenStore(db, box).findTokenByHash(sha256Hex(token));
 * ```
 */
export class SqliteTokenStore implements TokenStore {
  readonly #box: SecretBox;
  readonly #byHash;

  /**
   * @param db An open, migrated connection.
   * @param box Opens the channel's sealed config.
   */
  constructor(db: Database, box: SecretBox) {
    this.#box = box;
    this.#byHash = drizzle({ client: db })
      .select({ token: tokens, integration: integrations, company: companies, channel: channels })
      .from(tokens)
      .innerJoin(integrations, eq(integrations.id, tokens.integrationId))
      .innerJoin(companies, eq(companies.id, integrations.companyId))
      .leftJoin(channels, eq(channels.id, integrations.channelId))
      .where(and(eq(tokens.hash, sql.placeholder("hash")), eq(integrations.kind, "custom")))
      .prepare();
  }

  findTokenByHash(hash: string): Promise<TokenMatch | null> {
    const row = this.#byHash.get({ hash });
    if (row === undefined) return Promise.resolve(null);
    return Promise.resolve({
      token: tokenFromRow(row.token),
      integration: customFromRow(row.integration),
      company: companyFromRow(row.company),
      channel: row.channel === null ? null : channelFromRow(row.channel, this.#box),
    });
  }
}
