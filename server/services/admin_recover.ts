/**
 * `POST /api/admin/integrations/:id/recover` (README "Recovering deliveries"): after a
 * receiver's outage, re-queues every delivery of the webhook that failed for good in the
 * period, or with `dryRun` only counts them.
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import type { AdminDeps } from "./admin_deps.ts";

const UNIT_MS: Readonly<Record<string, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * When the period starts: `30m`, `6h`, `7d` before `now`, or an ISO 8601 time in the past.
 *
 * @returns the start, or null when `since` is neither
 * @example
 * ```ts
 * parseSince("6h", Date.parse("2026-01-01T12:00:00Z")); // 2026-01-01T06:00:00.000Z
 * ```
 */
export function parseSince(since: string, now: number): Date | null {
  const relative = /^(\d{1,6})([mhd])$/.exec(since);
  if (relative !== null) {
    return new Date(now - Number(relative[1]) * (UNIT_MS[relative[2] ?? "h"] ?? 0));
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(since)) return null;
  const at = Date.parse(since);
  return Number.isNaN(at) || at > now ? null : new Date(at);
}

/** Re-queues (or counts) the webhook's failed deliveries whose last attempt was after `since`. */
export async function recoverDeliveries(
  deps: AdminDeps,
  company: Company,
  input: { id: string; since: string; dryRun?: boolean },
  requestId: string,
): Promise<Reply> {
  const now = deps.clock.now();
  const since = parseSince(input.since, now);
  if (since === null) {
    return errorReply("VALIDATION_ERROR", {
      requestId,
      details: [
        {
          path: "/since",
          message: `Invalid field "since": expected a duration such as 30m, 6h or 7d, or an ISO 8601 time in the past, got "${input.since}"`,
        },
      ],
    });
  }
  const webhook = await deps.integrations.getIntegration(company.id, input.id);
  if (webhook?.kind !== "webhook") {
    return errorReply("NOT_FOUND", { requestId, message: `Webhook "${input.id}" not found` });
  }
  const dryRun = input.dryRun ?? false;
  const count = await deps.operations.recoverDeliveries({
    companyId: company.id,
    webhookId: webhook.id,
    since,
    now: new Date(now),
    dryRun,
  });
  if (!dryRun && count > 0) deps.signal.notify();
  return jsonReply(dryRun ? 200 : 202, {
    webhookId: webhook.id,
    since: since.toISOString(),
    dryRun,
    count,
    // Re-queued deliveries of a disabled webhook wait until it is enabled again.
    webhookEnabled: webhook.enabled,
  });
}
