/**
 * Provider errors that mean "this recipient does not want our messages": the address joins
 * the suppression list so the next send is refused before it costs anything.
 *
 * @module
 */
import type { ProviderName, SuppressionReason } from "./domain.ts";

/**
 * The suppression a provider's error code calls for: Twilio 21610 (the number replied STOP)
 * is `stop`; Meta 131050 (the user stopped marketing messages) is `unsubscribe`.
 *
 * @param provider The provider that answered.
 * @param code Its error code, as text.
 * @returns The reason to suppress with, or null when the error says nothing about consent.
 *
 * @example
 * ```ts
 * suppressionForProviderError("twilio", "21610"); // "stop"
 * suppressionForProviderError("twilio", "21211"); // null
 * ```
 */
export function suppressionForProviderError(
  provider: ProviderName,
  code: string,
): SuppressionReason | null {
  if (provider === "twilio" && code === "21610") return "stop";
  if (provider === "meta" && code === "131050") return "unsubscribe";
  return null;
}
