/**
 * The one spelling of an address on a suppression list, so a lookup finds what a STOP, a
 * bounce or an operator added whatever way the address was written.
 *
 * @module
 */
import type { ChannelType } from "./domain.ts";
import {
  E164_WITHOUT_PLUS,
  EMAIL_ADDRESS,
  MAX_EMAIL_LENGTH,
  phoneExpectation,
} from "./payloads/_addresses.ts";

/**
 * An address in the form suppressions store it: WhatsApp numbers as digits without `+` (and
 * without Twilio's `whatsapp:` prefix), SMS numbers as E.164 with `+`, e-mail addresses bare
 * (no display name) and lower-cased.
 *
 * @param channelType The channel type the address belongs to.
 * @param address The address as a payload, a provider or an operator wrote it.
 * @returns The stored form; surrounding spaces removed.
 *
 * @example
 * ```ts
 * suppressionAddress("whatsapp", "whatsapp:+5511999999999"); // "5511999999999"
 * suppressionAddress("sms", "5511999999999"); // "+5511999999999"
 * suppressionAddress("email", "Ana <Ana@Shop.example>"); // "ana@shop.example"
 * ```
 */
export function suppressionAddress(channelType: ChannelType, address: string): string {
  const trimmed = address.trim();
  switch (channelType) {
    case "whatsapp":
      return trimmed.replace(/^whatsapp:/i, "").replace(/^\+/, "");
    case "sms":
      return trimmed.startsWith("+") ? trimmed : `+${trimmed}`;
    case "email": {
      const angle = /<([^<>]+)>\s*$/.exec(trimmed);
      return (angle?.[1] ?? trimmed).trim().toLowerCase();
    }
  }
}

/**
 * Why an address cannot be suppressed for a channel type, in the admin API's words.
 *
 * @param channelType The list it would join.
 * @param address The address as given.
 * @returns A reason (`must be …`), or null when the address fits after normalization.
 *
 * @example
 * ```ts
 * suppressionAddressFault("sms", "+5511999999999"); // null
 * suppressionAddressFault("email", "not-an-address"); // "must be an e-mail address, …"
 * ```
 */
export function suppressionAddressFault(channelType: ChannelType, address: string): string | null {
  const normalized = suppressionAddress(channelType, address);
  if (channelType === "email") {
    return EMAIL_ADDRESS.test(normalized) && normalized.length <= MAX_EMAIL_LENGTH
      ? null
      : "must be an e-mail address, e.g. customer@company.com";
  }
  const digits = channelType === "sms" ? normalized.slice(1) : normalized;
  return E164_WITHOUT_PLUS.test(digits)
    ? null
    : channelType === "sms"
      ? `must be ${phoneExpectation(true)}`
      : 'must be a phone number in E.164 format (digits, "+" optional), e.g. 5511999999999';
}
