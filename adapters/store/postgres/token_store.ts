/**
 * {@linkcode TokenStore} on Postgres: one join per lookup.
 *
 * @module
 */
import { and, eq, sql } from "drizzle-orm";
import type { TokenMatch, TokenStore } from "../../../core/ports/token_store.ts";
import type { SecretBox } from "../../crypto/secret_box.ts";
import { channelFromRow, companyFromRow, customFromRow, tokenFromRow } from "./_rows.ts";
import type { PgRunner } from "./pg_runner.ts";
import { channels } from "./schema/channels.ts";
import { companies } from "./schema/companies.ts";
import { integrations } from "./schema/integrations.ts";
import { tokens } from "./schema/tokens.ts";

/**
 * Finds a token with its integration, company and channel in one query (prepared once: it
 * runs on every send). Tokens of deleted integrations are still found (with status `revoked`),
 * so the caller can tell a revoked token from one never issued.
 *
 * @example
 * ```ts
 * const match = await new PostgresTokenStore(runner, box).findTokenByHash(sha256Hex(token));
 * ```
 */
export class PostgresTokenStore implements TokenStore {
  readonly #db: PgRunner;
  readonly #box: SecretBox;
  readonly #byHash;

  /**
   * @param db The pool of a migrated database, with its retry policy.
   * @param box Opens the channel's sealed config.
   */
  constructor(db: PgRunner, box: SecretBox) {
    this.#db = db;
    this.#box = box;
    this.#byHash = db.orm
      .select({ token: tokens, integration: integrations, company: companies, channel: channels })
      .from(tokens)
      .innerJoin(integrations, eq(integrations.id, tokens.integrationId))
      .innerJoin(companies, eq(companies.id, integrations.companyId))
      .leftJoin(channels, eq(channels.id, integrations.channelId))
      .where(and(eq(tokens.hash, sql.placeholder("hash")), eq(integrations.kind, "custom")))
      .prepare("sendeasy_token_by_hash");
  }

  async findTokenByHash(hash: string): Promise<TokenMatch | null> {
    const [row] = await this.#db.read(() => this.#byHash.execute({ hash }));
    if (row === undefined) return null;
    return {
      token: tokenFromRow(row.token),
      integration: customFromRow(row.integration),
      company: companyFromRow(row.company),
      channel: row.channel === null ? null : channelFromRow(row.channel, this.#box),
    };
  }
}
