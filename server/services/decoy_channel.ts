/**
 * A stand-in for a provider callback's channel that does not exist (never did, was deleted, or
 * uses another provider). It carries fresh random secrets, so the callback is checked exactly
 * as a real one and fails the same way: an unknown channel answers what a wrong signature
 * does, and channel ids cannot be probed through the callback routes.
 *
 * @module
 */
import type { Channel, ChannelType, ProviderName } from "../../core/domain.ts";

const TYPE_OF: Readonly<Record<ProviderName, ChannelType>> = {
  sandbox: "sms",
  resend: "email",
  twilio: "sms",
  meta: "whatsapp",
  smtp: "email",
};

/**
 * @param provider the provider whose callback route was called
 * @param channelId the id in the path
 * @returns a channel no signature or verify token can match (32 random bytes per secret)
 * @example
 * const channel = (await deps.findChannel(id)) ?? decoyChannel("twilio", id);
 */
export function decoyChannel(provider: ProviderName, channelId: string): Channel {
  return {
    id: channelId,
    companyId: "",
    type: TYPE_OF[provider],
    provider,
    name: "",
    address: "",
    config: {
      authToken: randomSecret(),
      webhookSecret: `whsec_${randomSecret()}`,
      appSecret: randomSecret(),
      verifyToken: randomSecret(),
      accessToken: randomSecret(),
    },
    credits: null,
    createdAt: new Date(0),
    deletedAt: null,
  };
}

function randomSecret(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
}
