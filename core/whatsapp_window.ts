/**
 * WhatsApp's customer-service window (README "The 24-hour window"): a business may send free
 * text to a contact only within 24 hours of the contact's last message; outside it, only an
 * approved template starts the conversation (Meta then fails free text with 131047, Twilio with
 * 63016). Sendeasy refuses such a send up front instead of charging for a message that fails.
 *
 * @module
 */
import type { ConfigValue, ProviderName } from "./domain.ts";

/** How long after a contact's last inbound message free text may still be sent. */
export const WHATSAPP_WINDOW_MS = 24 * 60 * 60 * 1000;

/** What a WhatsApp send carries: free-form text (`message`) or a `template`. */
export type WhatsAppContent = "message" | "template";

/** The window check's answer. */
export type WindowVerdict =
  | { ok: true }
  | { ok: false; code: "WHATSAPP_WINDOW_CLOSED"; lastInboundAt: Date | null };

/**
 * Whether a WhatsApp send may go now. A template always may; free text may when the channel
 * does not enforce the window, or when the contact wrote less than 24 hours ago (a last
 * message in the future, from a provider's clock ahead of ours, counts as now).
 *
 * @param content `message` or `template`.
 * @param options.enforce Whether the channel checks the window (see {@linkcode windowEnforced}).
 * @param options.lastInboundAt When the contact last wrote to this channel; null if never.
 * @param options.now The time of the send, in ms since the epoch.
 * @returns `{ ok: true }`, or the refusal with the last inbound time.
 *
 * @example
 * ```ts
 * checkWhatsAppWindow("message", { enforce: true, lastInboundAt: null, now: Date.now() });
 * // { ok: false, code: "WHATSAPP_WINDOW_CLOSED", lastInboundAt: null }
 * checkWhatsAppWindow("template", { enforce: true, lastInboundAt: null, now: Date.now() });
 * // { ok: true }
 * ```
 */
export function checkWhatsAppWindow(
  content: WhatsAppContent,
  options: { enforce: boolean; lastInboundAt: Date | null; now: number },
): WindowVerdict {
  const { enforce, lastInboundAt, now } = options;
  if (content === "template" || !enforce) return { ok: true };
  if (lastInboundAt !== null && now - lastInboundAt.getTime() < WHATSAPP_WINDOW_MS) {
    return { ok: true };
  }
  return { ok: false, code: "WHATSAPP_WINDOW_CLOSED", lastInboundAt };
}

/**
 * Whether a WhatsApp channel checks the window: its `enforceWindow` config when set, else
 * `true` for the real providers (they refuse out-of-window free text) and `false` for the
 * sandbox (it has no contacts to wait for).
 *
 * @param provider The channel's provider.
 * @param config The channel's config.
 * @returns Whether free text to a silent contact is refused.
 *
 * @example
 * ```ts
 * windowEnforced("meta", {}); // true
 * windowEnforced("meta", { enforceWindow: false }); // false
 * windowEnforced("sandbox", {}); // false
 * ```
 */
export function windowEnforced(
  provider: ProviderName,
  config: Readonly<Record<string, ConfigValue>>,
): boolean {
  const configured = config.enforceWindow;
  if (typeof configured === "boolean") return configured;
  return provider === "meta" || provider === "twilio";
}
