/**
 * Which of a webhook's signing secrets sign at a given time, and what a rotation leaves: after a
 * rotation the previous secret keeps signing until its `expiresAt` (README "Webhooks").
 *
 * @module
 */
import type { SigningSecret } from "./domain.ts";

/**
 * The secrets that still sign at `at`: the current one (no `expiresAt`) and those expiring later.
 *
 * @param secrets A webhook's secrets, newest first.
 * @param at Milliseconds since the Unix epoch.
 * @returns The live secrets, in the same order.
 * @example
 * ```ts
 * const day = 86_400_000;
 * liveSigningSecrets(
 *   [
 *     { secret: "whsec_new", createdAt: new Date(day), expiresAt: null },
 *     { secret: "whsec_old", createdAt: new Date(0), expiresAt: new Date(2 * day) },
 *   ],
 *   3 * day,
 * ).map((s) => s.secret); // ["whsec_new"]
 * ```
 */
export function liveSigningSecrets(secrets: readonly SigningSecret[], at: number): SigningSecret[] {
  return secrets.filter((s) => s.expiresAt === null || s.expiresAt.getTime() > at);
}

/**
 * The secrets after a rotation: `next` first, the current secret given `previousExpiresAt`, and
 * older secrets already expired at `next.createdAt` (the rotation time) dropped.
 *
 * @param secrets The webhook's secrets before the rotation, newest first.
 * @param next The new secret.
 * @param previousExpiresAt When the current secret stops signing.
 * @returns The secrets to store, newest first.
 * @example
 * ```ts
 * const rotated = rotatedSigningSecrets(
 *   [{ secret: "whsec_a", createdAt: new Date(0), expiresAt: null }],
 *   { secret: "whsec_b", createdAt: new Date(1000), expiresAt: null },
 *   new Date(5000),
 * );
 * rotated.map((s) => s.secret); // ["whsec_b", "whsec_a"]
 * rotated[1]?.expiresAt?.getTime(); // 5000
 * ```
 */
export function rotatedSigningSecrets(
  secrets: readonly SigningSecret[],
  next: SigningSecret,
  previousExpiresAt: Date,
): SigningSecret[] {
  const kept = secrets.map((s) => ({ ...s, expiresAt: s.expiresAt ?? previousExpiresAt }));
  return [next, ...liveSigningSecrets(kept, next.createdAt.getTime())];
}
