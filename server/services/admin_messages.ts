/**
 * Reading messages through the admin API (docs/api.md#admin-api).
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { publicMessage } from "../../core/public_message.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";

export async function listMessages(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; channelId?: string },
): Promise<Reply> {
  const page = await deps.messages.listMessages(company.id, {
    ...pageOf(query),
    ...(query.channelId === undefined ? {} : { channelId: query.channelId }),
  });
  return jsonReply(200, { data: page.data.map(publicMessage), nextCursor: page.nextCursor });
}

export async function getMessage(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const message = await deps.messages.getMessage(company.id, id);
  if (message === null)
    return errorReply("NOT_FOUND", { requestId, message: `Message "${id}" not found` });
  return jsonReply(200, publicMessage(message));
}
