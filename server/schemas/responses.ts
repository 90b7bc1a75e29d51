/**
 * Error answers as route response schemas: one entry per status, naming the catalogue codes
 * that status carries (docs/api.md#errors).
 *
 * @module
 */
import type { TSchema } from "@sinclair/typebox";
import { ERROR_CATALOGUE, ErrorBody, type ErrorKind } from "../../core/errors.ts";
import { named } from "./_common.ts";

/** The one error shape of every endpoint. */
export const ErrorSchema = named("Error", ErrorBody);

/**
 * @param kinds the catalogue entries a route may answer
 * @returns `{ [status]: schema }`, each schema described by its codes
 * @example
 * errorResponses("ERR_NO_PERMISSION", "NOT_FOUND"); // { 401: …, 404: … }
 */
export function errorResponses(...kinds: ErrorKind[]): Record<number, TSchema> {
  const codes = new Map<number, string[]>();
  for (const kind of kinds) {
    const { status, code } = ERROR_CATALOGUE[kind];
    const list = codes.get(status) ?? [];
    if (!list.includes(code)) list.push(code);
    codes.set(status, list);
  }
  const out: Record<number, TSchema> = {};
  for (const [status, list] of codes)
    out[status] = { ...ErrorSchema, description: list.join(", ") };
  return out;
}

/** What every admin route may answer besides its own errors. */
export const ADMIN_ERRORS: readonly ErrorKind[] = ["ERR_NO_PERMISSION", "INTERNAL"];

/** An admin route's responses: its successes, then the admin errors and its own. */
export function adminResponses(
  success: Record<number, TSchema>,
  ...kinds: ErrorKind[]
): Record<number, TSchema> {
  return { ...success, ...errorResponses(...ADMIN_ERRORS, ...kinds) };
}
