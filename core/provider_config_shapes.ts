/**
 * The shapes of the real providers' config values, which the provider table
 * (`channel_config.ts`) gives its keys, so a pasted-in-the-wrong-field secret fails when the
 * channel is created or patched, with a sentence, not at the first send. Lenient where
 * providers change formats (token lengths); strict where a mistake is certain (a Twilio account
 * SID starts with `AC`, a Standard Webhooks secret with `whsec_`).
 *
 * @module
 */

/** What a string config value must look like, and the sentence that says so when it does not. */
export interface ConfigShape {
  pattern: RegExp;
  hint: string;
}

const NO_SPACES: ConfigShape = { pattern: /^\S+$/, hint: "must not be empty or contain spaces" };
const HTTP_BASE: ConfigShape = {
  pattern: /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/,
  hint: "must be an absolute http(s) URL without query or fragment, e.g. https://api.example.com",
};

// A DNS name (letters, digits, hyphens, dots) or an IP literal, IPv6 in brackets or bare.
const HOST_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;
// Goes into the SMTP dialogue as is: a line break would smuggle a command in.
const ONE_LINE: ConfigShape = {
  pattern: /^[^\x00-\x1F\x7F]+$/,
  hint: "must not be empty or contain line breaks or control characters",
};

/**
 * Every shape a provider config key takes, by what the value is.
 *
 * @example
 * ```ts
 * CONFIG_SHAPES.twilioAccountSid.pattern.test("AC0123"); // true
 * ```
 */
export const CONFIG_SHAPES = {
  noSpaces: NO_SPACES,
  httpBase: HTTP_BASE,
  oneLine: ONE_LINE,
  resendApiKey: { pattern: /^re_\S+$/, hint: 'must be a Resend API key, starting with "re_"' },
  resendWebhookSecret: {
    pattern: /^whsec_[A-Za-z0-9+/]+={0,2}$/,
    hint: 'must be the webhook signing secret Resend shows, starting with "whsec_"',
  },
  twilioAccountSid: {
    pattern: /^AC[0-9A-Za-z]+$/,
    hint: 'must be the Account SID, starting with "AC" (not an API key "SK…")',
  },
  twilioMessagingServiceSid: {
    pattern: /^MG[0-9A-Za-z]+$/,
    hint: 'must be a Messaging Service SID, starting with "MG"',
  },
  metaPhoneNumberId: {
    pattern: /^[0-9]+$/,
    hint: "must be the phone number ID (digits), not the phone number itself",
  },
  metaApiVersion: {
    pattern: /^v[0-9]+\.[0-9]+$/,
    hint: "must be a Graph API version, e.g. v23.0",
  },
  smtpHost: {
    pattern: HOST_NAME,
    hint: "must be the relay's host name or IP address alone, e.g. smtp.example.com (no scheme, no port)",
  },
  smtpHeloName: {
    pattern: HOST_NAME,
    hint: "must be a host name, e.g. mail.example.com: the name this server gives in EHLO",
  },
} satisfies Readonly<Record<string, ConfigShape>>;
