/**
 * Suppression lists through the admin API (README "Suppressions"): list, read, add (reason
 * `manual` unless given) and remove. Changes made here emit `recipient.*` events with no
 * channel (`channel: null`), to general webhooks by the union rule.
 *
 * @module
 */
import type { ChannelType, Company, SuppressionReason } from "../../core/domain.ts";
import { publicSuppression } from "../../core/public_suppression.ts";
import { suppressionAddress, suppressionAddressFault } from "../../core/suppression_address.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";
import { suppress, unsuppressById } from "./suppression_service.ts";

/** `POST /suppressions` body (shape already checked by the route's schema). */
export interface SuppressionInput {
  channelType: ChannelType;
  address: string;
  reason?: SuppressionReason;
}

export async function listSuppressions(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; channelType?: ChannelType; address?: string },
): Promise<Reply> {
  const { channelType, address } = query;
  const page = await deps.suppressions.listSuppressions(company.id, {
    ...pageOf(query),
    ...(channelType === undefined ? {} : { channelType }),
    ...(address === undefined ? {} : { address: storedForm(address, channelType) }),
  });
  return jsonReply(200, { data: page.data.map(publicSuppression), nextCursor: page.nextCursor });
}

export async function getSuppression(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const suppression = await deps.suppressions.getSuppression(company.id, id);
  if (suppression === null) return notFound(id, requestId);
  return jsonReply(200, publicSuppression(suppression));
}

/**
 * Adds an address. 201 with the suppression; 200 with the one already listed when the
 * address was on the list (nothing changes, no event).
 */
export async function addSuppression(
  deps: AdminDeps,
  company: Company,
  input: SuppressionInput,
  requestId: string,
): Promise<Reply> {
  const fault = suppressionAddressFault(input.channelType, input.address);
  if (fault !== null) {
    return errorReply("VALIDATION_ERROR", {
      requestId,
      details: [{ path: "/address", message: `Invalid field "address": ${fault}` }],
    });
  }
  const result = await suppress(deps, {
    companyId: company.id,
    channelType: input.channelType,
    address: input.address,
    reason: input.reason ?? "manual",
    cause: null,
  });
  return jsonReply(result.added ? 201 : 200, publicSuppression(result.suppression));
}

/** Removes a suppression: 204, or 404 when it is gone (or never was). */
export async function removeSuppression(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const removed = await unsuppressById(deps, company.id, id);
  if (removed === null) return notFound(id, requestId);
  return { status: 204, body: "" };
}

/**
 * An address filter in its stored form, so any spelling finds it; without a channel type, an
 * address with "@" is an e-mail and anything else is kept as written (SMS `+…`, WhatsApp digits).
 */
function storedForm(address: string, channelType: ChannelType | undefined): string {
  if (channelType !== undefined) return suppressionAddress(channelType, address);
  return address.includes("@") ? suppressionAddress("email", address) : address.trim();
}

function notFound(id: string, requestId: string): Reply {
  return errorReply("NOT_FOUND", { requestId, message: `Suppression "${id}" not found` });
}
