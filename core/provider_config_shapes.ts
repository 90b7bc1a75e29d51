/**
 * The shape of each real provider's config values (docs/providers.md), checked when a channel is
 * created or patched so a pasted-in-the-wrong-field secret fails at once with a sentence, not
 * at the first send. Lenient where providers change formats (token lengths); strict where a
 * mistake is certain (a Twilio account SID starts with `AC`, a Standard Webhooks secret with
 * `whsec_`).
 *
 * @module
 */
import type { ErrorDetail, ProviderName } from "./domain.ts";

interface Shape {
  pattern: RegExp;
  hint: string;
}

const NO_SPACES: Shape = { pattern: /^\S+$/, hint: "must not be empty or contain spaces" };
const HTTP_BASE: Shape = {
  pattern: /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/,
  hint: "must be an absolute http(s) URL without query or fragment, e.g. https://api.example.com",
};

// A DNS name (letters, digits, hyphens, dots) or an IP literal, IPv6 in brackets or bare.
const HOST_NAME =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?|\[?[0-9A-Fa-f:.]+\]?)$/;
// Goes into the SMTP dialogue as is: a line break would smuggle a command in.
const ONE_LINE: Shape = {
  pattern: /^[^\x00-\x1F\x7F]+$/,
  hint: "must not be empty or contain line breaks or control characters",
};

const SHAPES: Readonly<Partial<Record<ProviderName, Readonly<Record<string, Shape>>>>> = {
  resend: {
    apiKey: { pattern: /^re_\S+$/, hint: 'must be a Resend API key, starting with "re_"' },
    webhookSecret: {
      pattern: /^whsec_[A-Za-z0-9+/]+={0,2}$/,
      hint: 'must be the webhook signing secret Resend shows, starting with "whsec_"',
    },
    baseUrl: HTTP_BASE,
  },
  twilio: {
    accountSid: {
      pattern: /^AC[0-9A-Za-z]+$/,
      hint: 'must be the Account SID, starting with "AC" (not an API key "SK…")',
    },
    authToken: NO_SPACES,
    messagingServiceSid: {
      pattern: /^MG[0-9A-Za-z]+$/,
      hint: 'must be a Messaging Service SID, starting with "MG"',
    },
    baseUrl: HTTP_BASE,
  },
  meta: {
    phoneNumberId: {
      pattern: /^[0-9]+$/,
      hint: "must be the phone number ID (digits), not the phone number itself",
    },
    accessToken: NO_SPACES,
    appSecret: NO_SPACES,
    verifyToken: NO_SPACES,
    apiVersion: { pattern: /^v[0-9]+\.[0-9]+$/, hint: "must be a Graph API version, e.g. v23.0" },
    baseUrl: HTTP_BASE,
  },
  smtp: {
    host: {
      pattern: HOST_NAME,
      hint: "must be the relay's host name or IP address alone, e.g. smtp.example.com (no scheme, no port)",
    },
    heloName: {
      pattern: HOST_NAME,
      hint: "must be a host name, e.g. mail.example.com: the name this server gives in EHLO",
    },
    user: ONE_LINE,
    password: ONE_LINE,
  },
};

/**
 * Checks the values of a provider config against their shapes. Keys the provider does not know
 * and missing required keys are `checkChannel`'s business; this only looks at known values.
 *
 * @param provider the channel's provider
 * @param config the complete config (after any patch)
 * @returns one detail per malformed value, at `/config/<key>`; empty when all fit
 * @example
 * checkProviderConfigShapes("twilio", { accountSid: "SK123", authToken: "x" });
 * // [{ path: "/config/accountSid", message: 'must be the Account SID, starting with "AC" …' }]
 */
export function checkProviderConfigShapes(
  provider: ProviderName,
  config: Readonly<Record<string, unknown>>,
): ErrorDetail[] {
  const shapes = SHAPES[provider];
  if (shapes === undefined) return [];
  const details: ErrorDetail[] = [];
  for (const [key, value] of Object.entries(config)) {
    const shape = Object.hasOwn(shapes, key) ? shapes[key] : undefined;
    // A value of the wrong JSON type is `checkChannel`'s to report.
    if (shape !== undefined && typeof value === "string" && !shape.pattern.test(value)) {
      details.push({ path: `/config/${key}`, message: shape.hint });
    }
  }
  return details;
}
