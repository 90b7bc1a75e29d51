import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  type ConfigKey,
  checkChannel,
  configText,
  normalizeChannelConfig,
  PROVIDERS,
  redactConfig,
} from "../../core/channel_config.ts";
import type { ChannelType, ConfigValue, ProviderName } from "../../core/domain.ts";

const ADDRESS: Record<ChannelType, string> = {
  sms: "+5511933334444",
  whatsapp: "+5511911112222",
  email: "orders@shop.example",
};

/** Values of the keys whose shape a plain word does not fit. */
const SHAPED: Readonly<Record<string, string>> = {
  apiKey: "re_123456789",
  webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  accountSid: "AC0123456789abcdef0123456789abcdef",
  messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
  phoneNumberId: "106540352242922",
  apiVersion: "v23.0",
  baseUrl: "https://api.example.com",
};

/** A value a key takes: of its JSON type, in its range, one of its words, of its shape. */
function validValue(key: string, rule: ConfigKey): ConfigValue {
  if (rule.kind === "boolean") return true;
  if (rule.kind === "number") return rule.range?.min ?? 1;
  return rule.oneOf?.[0] ?? SHAPED[key] ?? `value-of-${key}`;
}

function validConfig(provider: ProviderName): Record<string, ConfigValue> {
  const config: Record<string, ConfigValue> = {};
  for (const [key, rule] of Object.entries(PROVIDERS[provider].config))
    if (rule.required) config[key] = validValue(key, rule);
  return config;
}

describe("checkChannel()", () => {
  test("accepts every provider with its channel types, an address of the right form and its required config", () => {
    for (const [provider, spec] of Object.entries(PROVIDERS) as [
      ProviderName,
      (typeof PROVIDERS)[ProviderName],
    ][]) {
      for (const type of spec.channelTypes) {
        expect(
          checkChannel(type, { provider, address: ADDRESS[type], config: validConfig(provider) }),
        ).toEqual([]);
      }
    }
  });

  test("refuses a provider that does not serve the channel type", () => {
    const details = checkChannel("sms", {
      provider: "resend",
      address: ADDRESS.sms,
      config: validConfig("resend"),
    });
    expect(details.map((d) => d.path)).toEqual(["/provider"]);
    expect(
      checkChannel("email", {
        provider: "meta",
        address: ADDRESS.email,
        config: validConfig("meta"),
      })[0]?.path,
    ).toBe("/provider");
  });

  test("refuses addresses of the wrong form for the type", () => {
    expect(
      checkChannel("sms", { provider: "sandbox", address: "5511933334444", config: {} })[0]
        ?.message,
    ).toContain('with "+"');
    expect(
      checkChannel("whatsapp", {
        provider: "sandbox",
        address: "orders@shop.example",
        config: {},
      })[0]?.path,
    ).toBe("/address");
    expect(
      checkChannel("email", { provider: "sandbox", address: "+5511933334444", config: {} })[0]
        ?.message,
    ).toContain("email");
  });

  test("names each missing required key and each unknown key", () => {
    const details = checkChannel("sms", {
      provider: "twilio",
      address: ADDRESS.sms,
      config: { colour: "red" },
    });
    expect(details.map((d) => d.path).sort()).toEqual([
      "/config/accountSid",
      "/config/authToken",
      "/config/colour",
    ]);
  });

  test("any config key outside the provider's table is reported at its own path", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(PROVIDERS) as ProviderName[])),
        fc.string({ minLength: 1, maxLength: 20 }),
        (provider, key) => {
          fc.pre(!(key in PROVIDERS[provider].config) && !(key in Object.prototype));
          const type = PROVIDERS[provider].channelTypes[0]!;
          const details = checkChannel(type, {
            provider,
            address: ADDRESS[type],
            config: { ...validConfig(provider), [key]: "x" },
          });
          expect(details.map((d) => d.path)).toEqual([`/config/${key}`]);
        },
      ),
    );
  });
});

describe("redactConfig()", () => {
  test("keeps plain keys and lists secret keys by name only", () => {
    const redacted = redactConfig("meta", {
      phoneNumberId: "123",
      accessToken: "EAAG-secret",
      appSecret: "s2",
      apiVersion: "v21.0",
    });
    expect(redacted).toEqual({
      config: { phoneNumberId: "123", apiVersion: "v21.0" },
      secrets: ["accessToken", "appSecret"],
    });
  });

  test("never shows a secret value, whatever the config holds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(PROVIDERS) as ProviderName[])),
        fc.dictionary(
          fc.string({ minLength: 1, maxLength: 12 }),
          fc.string({ minLength: 8, maxLength: 20 }),
        ),
        (provider, extra) => {
          const config = { ...extra, ...validConfig(provider) };
          const shown = JSON.stringify(redactConfig(provider, config).config);
          for (const [key, value] of Object.entries(config)) {
            if (PROVIDERS[provider].config[key]?.secret !== false)
              expect(shown.includes(JSON.stringify(value))).toBe(false);
          }
        },
      ),
    );
  });
});

describe("typed config values", () => {
  const meta = { ...validConfig("meta") };

  test("enforceWindow is a boolean for WhatsApp channels of meta, twilio and the sandbox", () => {
    for (const provider of ["meta", "twilio", "sandbox"] as const) {
      const config = { ...validConfig(provider), enforceWindow: false };
      expect(checkChannel("whatsapp", { provider, address: ADDRESS.whatsapp, config })).toEqual([]);
    }
    expect(
      checkChannel("whatsapp", {
        provider: "meta",
        address: ADDRESS.whatsapp,
        config: { ...meta, enforceWindow: "no" },
      }),
    ).toEqual([{ path: "/config/enforceWindow", message: "must be true or false" }]);
  });

  test("enforceWindow on an SMS or e-mail channel is refused: there is no window there", () => {
    expect(
      checkChannel("sms", {
        provider: "twilio",
        address: ADDRESS.sms,
        config: { ...validConfig("twilio"), enforceWindow: true },
      }),
    ).toEqual([
      { path: "/config/enforceWindow", message: "applies to whatsapp channels only, not sms" },
    ]);
  });

  test("string keys refuse numbers (a phone number id as a JSON number loses digits)", () => {
    expect(
      checkChannel("whatsapp", {
        provider: "meta",
        address: ADDRESS.whatsapp,
        config: { ...meta, phoneNumberId: 106540352242922 },
      }),
    ).toEqual([{ path: "/config/phoneNumberId", message: "must be a string" }]);
  });

  test("normalizeChannelConfig() converts the text of number and boolean keys, nothing else", () => {
    expect(
      normalizeChannelConfig("sandbox", {
        deliveredAfterMs: "50",
        enforceWindow: "TRUE",
        unknown: "false",
      }),
    ).toEqual({ deliveredAfterMs: 50, enforceWindow: true, unknown: "false" });
    expect(
      normalizeChannelConfig("meta", { enforceWindow: "maybe", phoneNumberId: "123" }),
    ).toEqual({ enforceWindow: "maybe", phoneNumberId: "123" });
    expect(normalizeChannelConfig("sandbox", { deliveredAfterMs: "soon" })).toEqual({
      deliveredAfterMs: "soon",
    });
  });

  test("configText() reads strings only", () => {
    expect(configText({ apiKey: "re_1", enforceWindow: true, n: 3 }, "apiKey")).toBe("re_1");
    expect(configText({ enforceWindow: true }, "enforceWindow")).toBeUndefined();
    expect(configText({}, "toString")).toBeUndefined();
  });
});

describe("SMTP config", () => {
  const smtp = { host: "smtp.example.com", port: 587, security: "starttls" };
  const check = (config: Record<string, unknown>) =>
    checkChannel("email", { provider: "smtp", address: "orders@shop.example", config });

  test("needs host, port and security, and takes user and password together", () => {
    expect(check(smtp)).toEqual([]);
    expect(
      check({ ...smtp, user: "apikey", password: "s3cret", heloName: "mail.shop.example" }),
    ).toEqual([]);
    expect(
      check({})
        .map((d) => d.path)
        .sort(),
    ).toEqual(["/config/host", "/config/port", "/config/security"]);
    expect(check({ ...smtp, user: "apikey" })).toEqual([
      { path: "/config/password", message: "is required with user: user and password go together" },
    ]);
    expect(check({ ...smtp, password: "s3cret" }).map((d) => d.path)).toEqual(["/config/user"]);
  });

  test("a port out of range, an unknown security word and a numeric password are each named", () => {
    expect(check({ ...smtp, port: 0, security: "ssl", user: "u", password: 1234 })).toEqual([
      { path: "/config/port", message: "must be a whole number from 1 to 65535, got 0" },
      { path: "/config/security", message: 'must be one of "tls", "starttls", "none", got "ssl"' },
      { path: "/config/password", message: "must be a string" },
    ]);
    expect(check({ ...smtp, port: 25.5 })[0]?.path).toBe("/config/port");
    expect(check({ ...smtp, maxConnections: 51 })[0]?.path).toBe("/config/maxConnections");
  });

  test("the CLI's text port becomes a number; the password stays text", () => {
    expect(
      normalizeChannelConfig("smtp", { port: "587", password: "123456", security: "none" }),
    ).toEqual({ port: 587, password: "123456", security: "none" });
  });
});
