/**
 * The URLs of a send that a provider (or, for attachments, this server) will fetch on the
 * company's behalf — WhatsApp `files`, SMS `mediaUrls` — pass the one address check after
 * DNS before anything is sent. A name that does not resolve passes: nothing can be reached
 * through it, and the provider reports the fetch as failed.
 *
 * @module
 */
import type { OutboundTarget } from "../../adapters/outbound/check_target.ts";
import type { ErrorDetail } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";

/** The address check (see `AdminDeps.checkUrl`). */
export type CheckUrl = (url: string, what: string) => Promise<OutboundTarget>;

/**
 * @param validated the payload, already valid
 * @param checkUrl the address check
 * @returns one detail per refused URL, at its JSON pointer; empty when all pass
 * @example
 * const details = await payloadUrlProblems(validated, deps.checkUrl);
 */
export async function payloadUrlProblems(
  validated: PayloadOk,
  checkUrl: CheckUrl,
): Promise<ErrorDetail[]> {
  const urls = urlsOf(validated);
  if (urls.length === 0) return [];
  const checked = await Promise.all(urls.map(({ url }) => checkUrl(url, "this URL")));
  const details: ErrorDetail[] = [];
  for (const [index, target] of checked.entries()) {
    if (target.ok || target.code === "UNRESOLVABLE") continue;
    details.push({ path: urls[index]!.path, message: target.message });
  }
  return details;
}

function urlsOf(validated: PayloadOk): { path: string; url: string }[] {
  switch (validated.channelType) {
    case "whatsapp":
      return (validated.payload.files ?? []).map((url, i) => ({ path: `/files/${i}`, url }));
    case "sms":
      return (validated.payload.mediaUrls ?? []).map((url, i) => ({
        path: `/mediaUrls/${i}`,
        url,
      }));
    case "email":
      return [];
  }
}
