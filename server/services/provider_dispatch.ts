/**
 * Routes a validated payload to the provider adapter its channel names, under a timeout.
 *
 * @module
 */
import type { Channel, ProviderName } from "../../core/domain.ts";
import type { PayloadOk } from "../../core/payloads/validate.ts";
import type {
  EmailProvider,
  ProviderResult,
  SendOptions,
  SmsProvider,
  WhatsAppProvider,
} from "../../core/ports/providers.ts";

/** The adapters of one provider; a provider implements the channel kinds it supports. */
export type ProviderAdapters = Partial<EmailProvider & SmsProvider & WhatsAppProvider>;

/** Adapters by provider name, built in the composition root. */
export type ProviderRegistry = Partial<Record<ProviderName, ProviderAdapters>>;

/**
 * Sends through the channel's provider; a provider that does not answer within `timeoutMs`
 * is a `FAILURE` with code `timeout` (docs/api.md#errors: 502), and its signal is aborted.
 *
 * @param registry the adapters
 * @param request the channel, the validated payload and the send options (minus `signal`)
 * @returns the provider's answer
 */
export function dispatchSend(
  registry: ProviderRegistry,
  request: {
    channel: Channel;
    validated: PayloadOk;
    options: Omit<SendOptions, "signal">;
    timeoutMs: number;
  },
): Promise<ProviderResult> {
  const { channel, validated, timeoutMs } = request;
  const adapters = registry[channel.provider];
  const controller = new AbortController();
  const options: SendOptions = { ...request.options, signal: controller.signal };
  let call: Promise<ProviderResult> | undefined;
  if (validated.channelType === "email" && adapters?.sendEmail) {
    call = adapters.sendEmail(channel, validated.payload, options);
  } else if (validated.channelType === "sms" && adapters?.sendSms) {
    call = adapters.sendSms(channel, validated.payload, options);
  } else if (validated.channelType === "whatsapp" && adapters?.sendWhatsApp) {
    call = adapters.sendWhatsApp(channel, validated.payload, options);
  }
  if (call === undefined) {
    return Promise.resolve({
      ok: false,
      code: "FAILURE",
      fault: {
        name: channel.provider,
        code: "provider_unavailable",
        message: `Provider "${channel.provider}" cannot send ${channel.type} on this server`,
      },
    });
  }
  // One promise settled by whichever comes first (cheaper than Promise.race on every send).
  return new Promise<ProviderResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      controller.abort();
      resolve({
        ok: false,
        code: "FAILURE",
        fault: {
          name: channel.provider,
          code: "timeout",
          message: `No answer within ${timeoutMs} ms`,
        },
        temporary: true,
      });
    }, timeoutMs);
    call.then(
      (result) => {
        clearTimeout(timer);
        resolve(result);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
