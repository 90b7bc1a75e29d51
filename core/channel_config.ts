/**
 * Which provider serves which channel type, and the config keys each provider takes
 * (docs/providers.md), with the secret ones marked so they are encrypted and never echoed.
 *
 * @module
 */
import type { ChannelType, ConfigValue, ErrorDetail, ProviderName } from "./domain.ts";
import { E164_WITH_PLUS, EMAIL_ADDRESS, phoneExpectation } from "./payloads/_addresses.ts";
import { type ConfigShape, CONFIG_SHAPES as SHAPE } from "./provider_config_shapes.ts";

/** One config key of a provider. */
export interface ConfigKey {
  secret: boolean;
  required: boolean;
  /** The JSON type of its value; `string` when absent. */
  kind?: "number" | "boolean";
  /** The channel types it applies to; every type the provider serves when absent. */
  channelTypes?: readonly ChannelType[];
  /** A number key's whole-number range (an SMTP `port`: 1–65535). */
  range?: { min: number; max: number };
  /** A string key's only accepted words (SMTP `security`). */
  oneOf?: readonly string[];
  /** What a string value must look like (a Twilio account SID starts with `AC`). */
  shape?: ConfigShape;
}

/** A provider's channel types and config keys. */
export interface ProviderSpec {
  channelTypes: readonly ChannelType[];
  config: Readonly<Record<string, ConfigKey>>;
  /** Keys set together or not at all (SMTP `user` and `password`). */
  together?: readonly (readonly string[])[];
}

const optional = { secret: false, required: false } as const;
const secret = { secret: true, required: false } as const;
const requiredSecret = { secret: true, required: true } as const;
const requiredPlain = { secret: false, required: true } as const;
/** Whether free text to a contact silent for 24 hours is refused (README "The 24-hour window"). */
const enforceWindow = {
  secret: false,
  required: false,
  kind: "boolean",
  channelTypes: ["whatsapp"],
} as const;

/** Sends per second to the provider (README "Throughput, retries, async and scheduled sends"). */
const maxPerSecond = {
  secret: false,
  required: false,
  kind: "number",
  range: { min: 1, max: 10_000 },
} as const;

/** SMTP's own config (README "SMTP"): where the relay is, how to reach it, who logs in. */
const SMTP_CONFIG: Readonly<Record<string, ConfigKey>> = {
  host: { ...requiredPlain, shape: SHAPE.smtpHost },
  port: { ...requiredPlain, kind: "number", range: { min: 1, max: 65535 } },
  security: { ...requiredPlain, oneOf: ["tls", "starttls", "none"] },
  user: { ...optional, shape: SHAPE.oneLine },
  password: { ...secret, shape: SHAPE.oneLine },
  heloName: { ...optional, shape: SHAPE.smtpHeloName },
  // Connections the channel's pool may hold open at once; relays cap them per client.
  maxConnections: { ...optional, kind: "number", range: { min: 1, max: 50 } },
  maxPerSecond,
};

/** The provider table of docs/providers.md. */
export const PROVIDERS: Readonly<Record<ProviderName, ProviderSpec>> = {
  sandbox: {
    channelTypes: ["whatsapp", "email", "sms"],
    config: { deliveredAfterMs: { ...optional, kind: "number" }, enforceWindow, maxPerSecond },
  },
  resend: {
    channelTypes: ["email"],
    config: {
      apiKey: { ...requiredSecret, shape: SHAPE.resendApiKey },
      webhookSecret: { ...secret, shape: SHAPE.resendWebhookSecret },
      baseUrl: { ...optional, shape: SHAPE.httpBase },
      maxPerSecond,
    },
  },
  twilio: {
    channelTypes: ["sms", "whatsapp"],
    config: {
      accountSid: { ...requiredPlain, shape: SHAPE.twilioAccountSid },
      authToken: { ...requiredSecret, shape: SHAPE.noSpaces },
      messagingServiceSid: { ...optional, shape: SHAPE.twilioMessagingServiceSid },
      baseUrl: { ...optional, shape: SHAPE.httpBase },
      enforceWindow,
      maxPerSecond,
    },
  },
  meta: {
    channelTypes: ["whatsapp"],
    config: {
      phoneNumberId: { ...requiredPlain, shape: SHAPE.metaPhoneNumberId },
      accessToken: { ...requiredSecret, shape: SHAPE.noSpaces },
      appSecret: { ...secret, shape: SHAPE.noSpaces },
      verifyToken: { ...secret, shape: SHAPE.noSpaces },
      apiVersion: { ...optional, shape: SHAPE.metaApiVersion },
      baseUrl: { ...optional, shape: SHAPE.httpBase },
      enforceWindow,
      maxPerSecond,
    },
  },
  smtp: { channelTypes: ["email"], config: SMTP_CONFIG, together: [["user", "password"]] },
};

/**
 * A config as given, with the values of number and boolean keys converted from the strings a
 * command line gives (`"false"`, `"50"`); everything else is kept as is, for
 * {@linkcode checkChannel} to judge.
 *
 * @param provider The channel's provider (unknown keys are left alone).
 * @param config The config from a request body.
 * @returns The config with JSON-typed values where the text was unambiguous.
 * @example
 * normalizeChannelConfig("meta", { enforceWindow: "false", apiVersion: "v23.0" });
 * // { enforceWindow: false, apiVersion: "v23.0" }
 */
export function normalizeChannelConfig(
  provider: ProviderName,
  config: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const spec = PROVIDERS[provider].config;
  const normalized: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const kind = Object.hasOwn(spec, key) ? spec[key]?.kind : undefined;
    normalized[key] = typeof value === "string" ? fromText(kind, value) : value;
  }
  return normalized;
}

function fromText(kind: ConfigKey["kind"], text: string): unknown {
  if (kind === "boolean" && /^(true|false)$/i.test(text.trim())) {
    return text.trim().toLowerCase() === "true";
  }
  if (kind === "number" && /^-?[0-9]+(\.[0-9]+)?$/.test(text.trim())) return Number(text);
  return text;
}

/**
 * Checks a channel's type, provider, address and config together.
 *
 * @param type the channel type
 * @param options.provider the provider name
 * @param options.address E.164 with `+` for sms/whatsapp, an email for email
 * @param options.config the provider config (complete, after any patch, after
 *   {@linkcode normalizeChannelConfig})
 * @returns every problem, at JSON-pointer paths of the admin request body; empty when valid
 * @example
 * checkChannel("sms", { provider: "sandbox", address: "+15550001111", config: {} }); // []
 */
export function checkChannel(
  type: ChannelType,
  options: {
    provider: ProviderName;
    address: string;
    config: Readonly<Record<string, unknown>>;
  },
): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const spec = PROVIDERS[options.provider];
  if (!spec.channelTypes.includes(type)) {
    details.push({
      path: "/provider",
      message: `Provider "${options.provider}" does not serve ${type} channels (it serves ${spec.channelTypes.join(", ")})`,
    });
  }
  if (
    type === "email" ? !EMAIL_ADDRESS.test(options.address) : !E164_WITH_PLUS.test(options.address)
  ) {
    details.push({
      path: "/address",
      message:
        type === "email"
          ? "must be the sender email address, e.g. orders@company.com"
          : `must be ${phoneExpectation(true)}`,
    });
  }
  for (const [key, rule] of Object.entries(spec.config)) {
    // Missing is absent or empty text: a 0 (an SMTP port) is a value, out of range.
    const given = options.config[key];
    if (rule.required && (given === undefined || given === null || given === "")) {
      details.push({
        path: `/config/${key}`,
        message: `is required for provider "${options.provider}"`,
      });
    }
  }
  for (const [key, value] of Object.entries(options.config)) {
    const rule = Object.hasOwn(spec.config, key) ? spec.config[key] : undefined;
    if (rule === undefined) {
      const known = Object.keys(spec.config).join(", ");
      details.push({
        path: `/config/${key}`,
        message: `Unknown config key for "${options.provider}" (known: ${known})`,
      });
    } else if (rule.channelTypes !== undefined && !rule.channelTypes.includes(type)) {
      details.push({
        path: `/config/${key}`,
        message: `applies to ${rule.channelTypes.join(", ")} channels only, not ${type}`,
      });
    } else if (typeof value !== (rule.kind ?? "string")) {
      details.push({ path: `/config/${key}`, message: kindHint(rule.kind) });
    } else if (!(rule.required && value === "")) {
      // A required key given empty is already named as missing, above.
      const fault = valueFault(rule, value);
      if (fault !== null) details.push({ path: `/config/${key}`, message: fault });
    }
  }
  for (const group of spec.together ?? []) {
    const missing = group.filter((key) => options.config[key] === undefined);
    if (missing.length > 0 && missing.length < group.length) {
      const given = group.filter((key) => !missing.includes(key)).join(", ");
      details.push({
        path: `/config/${missing[0]}`,
        message: `is required with ${given}: ${group.join(" and ")} go together`,
      });
    }
  }
  return details;
}

/** Why a value of the right JSON type is still out of its key's range, words or shape, if it is. */
function valueFault(rule: ConfigKey, value: unknown): string | null {
  const { range, oneOf, shape } = rule;
  if (range !== undefined && typeof value === "number") {
    const fits = Number.isInteger(value) && value >= range.min && value <= range.max;
    return fits ? null : `must be a whole number from ${range.min} to ${range.max}, got ${value}`;
  }
  if (oneOf !== undefined && typeof value === "string" && !oneOf.includes(value)) {
    const words = oneOf.map((word) => `"${word}"`).join(", ");
    return `must be one of ${words}, got ${JSON.stringify(value.slice(0, 40))}`;
  }
  if (shape !== undefined && typeof value === "string" && !shape.pattern.test(value)) {
    return shape.hint;
  }
  return null;
}

function kindHint(kind: ConfigKey["kind"]): string {
  switch (kind) {
    case "boolean":
      return "must be true or false";
    case "number":
      return "must be a number";
    default:
      return "must be a string";
  }
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
  config: Readonly<Record<string, ConfigValue>>,
): { config: Record<string, ConfigValue>; secrets: string[] } {
  const spec = PROVIDERS[provider].config;
  const visible: Record<string, ConfigValue> = {};
  const secrets: string[] = [];
  for (const [key, value] of Object.entries(config)) {
    if (Object.hasOwn(spec, key) && spec[key]?.secret === false) visible[key] = value;
    else secrets.push(key);
  }
  return { config: visible, secrets: secrets.sort() };
}

/**
 * A string config value (a secret, an id, a URL); `undefined` when unset or not a string.
 *
 * @example
 * configText({ apiKey: "re_x", enforceWindow: true }, "apiKey"); // "re_x"
 */
export function configText(
  config: Readonly<Record<string, ConfigValue>>,
  key: string,
): string | undefined {
  const value = Object.hasOwn(config, key) ? config[key] : undefined;
  return typeof value === "string" ? value : undefined;
}
