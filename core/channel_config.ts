/**
 * Which provider serves which channel type, and the config keys each provider takes
 * (SPEC.md §9), with the secret ones marked so they are encrypted and never echoed.
 *
 * @module
 */
import type { ChannelType, ErrorDetail, ProviderName } from "./domain.ts";

/** One config key of a provider. */
export interface ConfigKey {
  secret: boolean;
  required: boolean;
}

/** A provider's channel types and config keys. */
export interface ProviderSpec {
  channelTypes: readonly ChannelType[];
  config: Readonly<Record<string, ConfigKey>>;
}

const optional = { secret: false, required: false } as const;
const secret = { secret: true, required: false } as const;
const requiredSecret = { secret: true, required: true } as const;
const requiredPlain = { secret: false, required: true } as const;

/** SPEC.md §9's provider table. */
export const PROVIDERS: Readonly<Record<ProviderName, ProviderSpec>> = {
  sandbox: { channelTypes: ["whatsapp", "email", "sms"], config: { deliveredAfterMs: optional } },
  resend: {
    channelTypes: ["email"],
    config: { apiKey: requiredSecret, webhookSecret: secret, baseUrl: optional },
  },
  twilio: {
    channelTypes: ["sms", "whatsapp"],
    config: {
      accountSid: requiredPlain,
      authToken: requiredSecret,
      messagingServiceSid: optional,
      baseUrl: optional,
    },
  },
  meta: {
    channelTypes: ["whatsapp"],
    config: {
      phoneNumberId: requiredPlain,
      accessToken: requiredSecret,
      appSecret: secret,
      verifyToken: secret,
      apiVersion: optional,
      baseUrl: optional,
    },
  },
};

const E164_WITH_PLUS = /^\+[1-9][0-9]{7,14}$/;
const EMAIL = /^[^\s@<>"(),;:\\[\]]+@[^\s@<>"(),;:\\[\]]+\.[^\s@<>"(),;:\\[\]]+$/;

/**
 * Checks a channel's type, provider, address and config together.
 *
 * @param type the channel type
 * @param options.provider the provider name
 * @param options.address E.164 with `+` for sms/whatsapp, an email for email
 * @param options.config the provider config (complete, after any patch)
 * @returns every problem, at JSON-pointer paths of the admin request body; empty when valid
 * @example
 * checkChannel("sms", { provider: "sandbox", address: "+15550001111", config: {} }); // []
 */
export function checkChannel(
  type: ChannelType,
  options: { provider: ProviderName; address: string; config: Record<string, string> },
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const spec = PROVIDERS[options.provider];
  if (!spec.channelTypes.includes(type)) {
    details.push({
      path: "/provider",
      message: `Provider "${options.provider}" does not serve ${type} channels (it serves ${spec.channelTypes.join(", ")})`,
    });
  }
  if (type === "email" ? !EMAIL.test(options.address) : !E164_WITH_PLUS.test(options.address)) {
    details.push({
      path: "/address",
      message:
        type === "email"
          ? "must be the sender email address, e.g. orders@company.com"
          : 'must be a phone number in E.164 format with "+", e.g. +5511999999999',
    });
  }
  for (const [key, rule] of Object.entries(spec.config)) {
    if (rule.required && !options.config[key]) {
      details.push({
        path: `/config/${key}`,
        message: `is required for provider "${options.provider}"`,
      });
    }
  }
  for (const key of Object.keys(options.config)) {
    if (!(key in spec.config)) {
      const known = Object.keys(spec.config).join(", ");
      details.push({
        path: `/config/${key}`,
        message: `Unknown config key for "${options.provider}" (known: ${known})`,
      });
    }
  }
  return details;
}

/**
 * The config without its secret values, safe to show: `config` keeps plain keys, `secrets`
 * names the secret keys that are set.
 *
 * @example
 * redactConfig("resend", { apiKey: "re_x", baseUrl: "http://x" }); // { config: { baseUrl }, secrets: ["apiKey"] }
 */
export function redactConfig(
  provider: ProviderName,
  config: Record<string, string>,
): { config: Record<string, string>; secrets: string[] } {
  const spec = PROVIDERS[provider].config;
  const visible: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (spec[key]?.secret === false) visible[key] = value;
    else secrets.push(key);
  }
  return { config: visible, secrets: secrets.sort() };
}
