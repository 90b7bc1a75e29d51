/**
 * Rotation and revocation of integration secrets (docs/api.md#tokens, docs/api.md#webhooks): a new token invalidates the
 * old one at once, on every instance; a new signing secret overlaps the old one for 24 h.
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { generateWebhookSecret } from "../../core/signatures.ts";
import { generateToken, hashToken, tokenDisplayPrefix } from "../../core/tokens.ts";
import { jsonReply, type Reply } from "../http/reply.ts";
import type { AdminDeps } from "./admin_deps.ts";
import { invalid, notFound } from "./admin_integrations.ts";
import { integrationView } from "./views.ts";

/** docs/api.md#webhooks: after a rotation the previous secret keeps signing for 24 h. */
const SECRET_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Rotation invalidates the old token at once (docs/api.md#tokens), or starts a 24 h secret overlap. */
export async function rotateIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const current = await deps.integrations.getIntegration(company.id, id);
  if (current === null) return notFound(id, requestId);
  const now = deps.clock.now();
  if (current.kind === "webhook") {
    const signingSecret = generateWebhookSecret(deps.random);
    const rotated = await deps.integrations.rotateSigningSecret(
      company.id,
      id,
      { secret: signingSecret, createdAt: new Date(now), expiresAt: null },
      new Date(now + SECRET_OVERLAP_MS),
    );
    if (rotated === null) return notFound(id, requestId);
    deps.webhooks.invalidate(company.id);
    return jsonReply(200, { signingSecret });
  }
  const token = generateToken(deps.random);
  const result = await deps.integrations.rotateToken(
    company.id,
    id,
    {
      hash: await hashToken(token),
      integrationId: id,
      status: "active",
      createdAt: new Date(now),
      expiresAt: current.expiresAt,
    },
    { prefix: tokenDisplayPrefix(token), at: new Date(now) },
  );
  if (result === null) return notFound(id, requestId);
  await deps.tokenCache.invalidate(result.invalidated);
  return jsonReply(200, { token });
}

export async function revokeIntegration(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const current = await deps.integrations.getIntegration(company.id, id);
  if (current === null) return notFound(id, requestId);
  if (current.kind !== "custom")
    return invalid(requestId, "", "Only custom integrations have tokens to revoke");
  const result = await deps.integrations.revokeTokens(company.id, id, new Date(deps.clock.now()));
  if (result === null) return notFound(id, requestId);
  await deps.tokenCache.invalidate(result.invalidated);
  const after = await deps.integrations.getIntegration(company.id, id);
  return after === null
    ? notFound(id, requestId)
    : jsonReply(200, integrationView(after, deps.clock.now()));
}
