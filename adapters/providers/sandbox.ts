/**
 * The sandbox provider: the default for every channel type (docs/providers.md). It records each send,
 * answers like a provider, and reports `delivered` (or `failed`) a little later, so a new
 * install shows the whole message lifecycle without any account anywhere.
 *
 * @module
 */
import type { Channel, ChannelType, MessageStatus } from "../../core/domain.ts";
import type { EmailPayload } from "../../core/payloads/email.ts";
import type { SmsPayload } from "../../core/payloads/sms.ts";
import type { WhatsAppPayload } from "../../core/payloads/whatsapp.ts";
import type {
  EmailAttachment,
  EmailProvider,
  ProviderResult,
  SendOptions,
  SmsProvider,
  WhatsAppProvider,
} from "../../core/ports/providers.ts";
import {
  type AttachmentStreamError,
  findAttachmentError,
} from "../attachments/attachment_stream_error.ts";
import { sendableAttachments } from "../attachments/sendable_attachments.ts";
import { DelayQueue } from "./_delay_queue.ts";

/** What a magic recipient makes the sandbox do (README "Sandbox"). */
export type SandboxOutcome = "fail" | "nofunds" | "timeout" | "undeliverable";

/** The magic recipients of docs/providers.md, by channel type. Any other recipient succeeds. */
export const SANDBOX_MAGIC_RECIPIENTS: Readonly<
  Record<ChannelType, Record<string, SandboxOutcome>>
> = {
  sms: {
    "+15005550001": "fail",
    "+15005550002": "nofunds",
    "+15005550003": "timeout",
    "+15005550004": "undeliverable",
  },
  whatsapp: {
    "15005550001": "fail",
    "15005550002": "nofunds",
    "15005550003": "timeout",
    "15005550004": "undeliverable",
  },
  email: {
    "fail@sandbox.sendeasy.test": "fail",
    "nofunds@sandbox.sendeasy.test": "nofunds",
    "timeout@sandbox.sendeasy.test": "timeout",
    "undeliverable@sandbox.sendeasy.test": "undeliverable",
  },
};

/** One send the sandbox accepted or refused, for tests and the benchmark. */
export interface SandboxRecord {
  channelId: string;
  messageId: string;
  recipients: string[];
  outcome: SandboxOutcome | "accepted";
}

/** A later status the sandbox reports for an accepted message. */
export interface SandboxStatusReport {
  companyId: string;
  channelId: string;
  messageId: string;
  providerMessageId: string;
  status: Extract<MessageStatus, "delivered" | "failed">;
  reason?: string;
  /** For a failure: what went wrong, in words. */
  errorMessage?: string;
  /** The channel the message was sent on, as it was then. */
  channel: Channel;
}

const NAME = "sandbox";
const DEFAULT_DELIVERED_AFTER_MS = 50;

/** Implements every provider port; `report` receives the delayed delivery outcomes. */
export class SandboxProvider implements EmailProvider, SmsProvider, WhatsAppProvider {
  readonly #report: (report: SandboxStatusReport) => unknown;
  /** Reports not yet made, so a shutdown can make them instead of dropping them. */
  readonly #pending: DelayQueue<SandboxStatusReport>;
  readonly #records: SandboxRecord[] = [];
  readonly #maxRecords: number;

  /**
   * @param report called with `delivered` or `failed` after the channel's `deliveredAfterMs`
   * @param options.maxRecords how many recent sends `records()` keeps (default 1 000)
   */
  constructor(
    report: (report: SandboxStatusReport) => unknown,
    options: { maxRecords?: number } = {},
  ) {
    this.#report = report;
    this.#pending = new DelayQueue((due) => void report(due));
    this.#maxRecords = options.maxRecords ?? 1_000;
  }

  /**
   * Makes every pending report now (at shutdown): a message the sandbox accepted still gets
   * its `delivered` (or `failed`) status and event before the store closes.
   */
  async flush(): Promise<void> {
    await Promise.allSettled(this.#pending.drain().map((report) => this.#report(report)));
  }

  /** The most recent sends, oldest first. */
  records(): readonly SandboxRecord[] {
    return this.#records;
  }

  async sendEmail(
    channel: Channel,
    payload: EmailPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    const list = (value: string | string[] | undefined) =>
      value === undefined ? [] : typeof value === "string" ? [value] : value;
    // Reads the attachments fetched by URL as a provider would, so their limits hold here too.
    const unread = await readAttachments(sendableAttachments(payload, options));
    if (unread !== null) {
      return {
        ok: false,
        code: "FAILURE",
        fault: { name: NAME, code: unread.faultCode, message: unread.message },
        temporary: unread.temporary,
      };
    }
    const recipients = [...list(payload.to), ...list(payload.cc), ...list(payload.bcc)];
    return this.#send(channel, recipients, options);
  }

  sendSms(channel: Channel, payload: SmsPayload, options: SendOptions): Promise<ProviderResult> {
    return this.#send(channel, [payload.to], options);
  }

  sendWhatsApp(
    channel: Channel,
    payload: WhatsAppPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    return this.#send(channel, [payload.number], options);
  }

  async #send(
    channel: Channel,
    recipients: string[],
    options: SendOptions,
  ): Promise<ProviderResult> {
    const outcome = sandboxOutcome(channel.type, recipients);
    this.#record({
      channelId: channel.id,
      messageId: options.messageId,
      recipients,
      outcome: outcome ?? "accepted",
    });
    switch (outcome) {
      case "fail":
        return fault(
          "FAILURE",
          "sandbox_failure",
          "The sandbox refused this message (magic recipient).",
        );
      case "nofunds":
        return fault(
          "NO_FUNDS",
          "insufficient_funds",
          "The sandbox account is out of funds (magic recipient).",
        );
      case "timeout":
        await waitForAbort(options.signal);
        return fault("FAILURE", "timeout", "The sandbox did not answer in time (magic recipient).");
      default: {
        const providerMessageId = `sbx_${options.messageId.slice(options.messageId.indexOf("_") + 1)}`;
        this.#scheduleReport(
          channel,
          options.messageId,
          providerMessageId,
          outcome === "undeliverable",
        );
        return { ok: true, providerMessageId };
      }
    }
  }

  #scheduleReport(
    channel: Channel,
    messageId: string,
    providerMessageId: string,
    fails: boolean,
  ): void {
    const report = sandboxReport(channel, { messageId, providerMessageId, fails });
    this.#pending.schedule(report, deliveredAfterMs(channel));
  }

  #record(record: SandboxRecord): void {
    this.#records.push(record);
    if (this.#records.length > this.#maxRecords)
      this.#records.splice(0, this.#records.length - this.#maxRecords);
  }
}

/** How long after a send the sandbox reports on a channel: its `deliveredAfterMs`, or 50 ms. */
export function deliveredAfterMs(channel: Channel): number {
  const configured = Number(channel.config.deliveredAfterMs);
  return Number.isFinite(configured) && configured >= 0 ? configured : DEFAULT_DELIVERED_AFTER_MS;
}

/** What the sandbox does with a send to `recipients` on a channel of `type`: its magic, if any. */
export function sandboxOutcome(
  type: ChannelType,
  recipients: readonly string[],
): SandboxOutcome | null {
  const magic = SANDBOX_MAGIC_RECIPIENTS[type];
  return recipients.map((r) => magic[r.toLowerCase()]).find((o) => o !== undefined) ?? null;
}

/**
 * The report the sandbox owes for an accepted message: `failed` for the undeliverable magic
 * recipient, `delivered` otherwise. The same for a report made on time and for one found owed
 * after a restart.
 */
export function sandboxReport(
  channel: Channel,
  message: { messageId: string; providerMessageId: string; fails: boolean },
): SandboxStatusReport {
  const { messageId, providerMessageId } = message;
  const base = {
    companyId: channel.companyId,
    channelId: channel.id,
    messageId,
    providerMessageId,
    channel,
  };
  return message.fails
    ? {
        ...base,
        status: "failed",
        reason: "undeliverable",
        errorMessage: "The sandbox could not deliver this message (magic recipient).",
      }
    : { ...base, status: "delivered" };
}

function fault(
  code: "NO_FUNDS" | "FAILURE",
  providerCode: string,
  message: string,
): ProviderResult {
  return { ok: false, code, fault: { name: NAME, code: providerCode, message } };
}

/** Never answers until the caller gives up: how a provider timeout looks from here. */
function waitForAbort(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal === undefined) return setTimeout(resolve, 60_000);
    if (signal.aborted) return resolve();
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

/** Reads every streamed attachment to its end; the attachment's error if one fails. */
async function readAttachments(
  attachments: readonly EmailAttachment[],
): Promise<AttachmentStreamError | null> {
  try {
    for (const { content } of attachments) {
      if ("stream" in content) for await (const _ of content.stream);
    }
    return null;
  } catch (error) {
    const attachment = findAttachmentError(error);
    if (attachment !== null) return attachment;
    throw error;
  }
}
