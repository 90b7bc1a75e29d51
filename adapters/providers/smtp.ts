/**
 * E-mail through the company's own SMTP relay (Postfix, SES SMTP, Mailgun, an ISP) with
 * Nodemailer (README "SMTP"). Each channel has its own connection pool, built from its config
 * and replaced (the old one closed) when that config changes; idle connections close by
 * themselves and every pool closes when the server stops. TLS (`tls`, port 465) or STARTTLS
 * (`starttls`, required, not opportunistic) verify the relay's certificate against its name.
 * A 250 answer is `sent`, with our `Message-ID` as the provider id. SMTP reports nothing after
 * that: such messages stay `sent`.
 *
 * @module
 */
import type { Transporter } from "nodemailer";
import type { Channel, ConfigValue } from "../../core/domain.ts";
import type { EmailPayload } from "../../core/payloads/email.ts";
import type { EmailProvider, ProviderResult, SendOptions } from "../../core/ports/providers.ts";
import { sendableAttachments } from "../attachments/sendable_attachments.ts";
import type { Lookup } from "../webhooks/dns_guard.ts";
import { settle, timedOut } from "./_results.ts";
import { smtpMessage, smtpMessageId } from "./_smtp_message.ts";
import { smtpFailure } from "./_smtp_result.ts";
import { guardedSmtpSocket } from "./_smtp_socket.ts";

/** Nodemailer's default, and a polite number of parallel connections to one relay. */
const DEFAULT_MAX_CONNECTIONS = 5;

/** Nodemailer, loaded on the first SMTP send: servers without SMTP channels never pay for it. */
let nodemailer: Promise<typeof import("nodemailer")> | undefined;

/** How the adapter connects; production passes the address check setting only. */
export interface SmtpProviderOptions {
  /** `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`: may a relay live on loopback or the LAN. */
  allowPrivate: boolean;
  /** Resolver for the relay's name (default: the system's). */
  lookup?: Lookup;
  /** Longest wait to connect, for the greeting, and for each reply (default 10 000 ms). */
  timeoutMs?: number;
  /** A pool's connection closes after this long without a send (default 30 000 ms). */
  idleMs?: number;
  /** Certificates to trust besides the system's (a private CA, or a test's self-signed one). */
  ca?: string;
}

/** One channel's pool and the config it was built from. */
interface Pool {
  fingerprint: string;
  transporter: Transporter;
}

/** Implements {@linkcode EmailProvider} over SMTP. */
export class SmtpEmailProvider implements EmailProvider {
  readonly #options: SmtpProviderOptions;
  readonly #pools = new Map<string, Pool>();

  /**
   * @param options the address check setting, and timeouts for tests
   * @example
   * const smtp = new SmtpEmailProvider({ allowPrivate: env.allowPrivateWebhooks });
   */
  constructor(options: SmtpProviderOptions) {
    this.#options = options;
  }

  async sendEmail(
    channel: Channel,
    payload: EmailPayload,
    options: SendOptions,
  ): Promise<ProviderResult> {
    const messageId = smtpMessageId(options.messageId, channel.address);
    const message = smtpMessage(channel, payload, {
      messageId,
      attachments: sendableAttachments(payload, options),
    });
    const pool = await this.#poolOf(channel);
    const call = pool.sendMail({
      ...message,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    } as typeof message);
    const settled = await settle(call, options.signal);
    if (settled.state === "aborted" || options.signal?.aborted) return timedOut("smtp");
    if (settled.state === "error") return smtpFailure(settled.error);
    return { ok: true, providerMessageId: messageId };
  }

  /** Closes every pool (at shutdown): idle connections at once, busy ones after their send. */
  close(): void {
    for (const pool of this.#pools.values()) pool.transporter.close();
    this.#pools.clear();
  }

  /** The channel's pool, rebuilt when its config changed since the last send. */
  async #poolOf(channel: Channel): Promise<Transporter> {
    const fingerprint = JSON.stringify(channel.config);
    const cached = this.#pools.get(channel.id);
    if (cached !== undefined && cached.fingerprint === fingerprint) return cached.transporter;
    nodemailer ??= import("nodemailer");
    const { createTransport } = await nodemailer;
    // Another send may have built it while this one waited for the module.
    const pool = this.#pools.get(channel.id);
    if (pool !== undefined && pool.fingerprint === fingerprint) return pool.transporter;
    pool?.transporter.close();
    const transporter = this.#build(createTransport, channel.config);
    this.#pools.set(channel.id, { fingerprint, transporter });
    return transporter;
  }

  #build(
    createTransport: typeof import("nodemailer")["createTransport"],
    config: Record<string, ConfigValue>,
  ): Transporter {
    const timeoutMs = this.#options.timeoutMs ?? 10_000;
    const security = config.security;
    const user = typeof config.user === "string" ? config.user : undefined;
    const password = typeof config.password === "string" ? config.password : undefined;
    const lookup = this.#options.lookup === undefined ? {} : { lookup: this.#options.lookup };
    return createTransport({
      pool: true,
      host: String(config.host ?? ""),
      port: Number(config.port),
      // `tls`: TLS from the first byte; `starttls`: plain, then STARTTLS, refused if the relay
      // does not offer it; `none`: plain text, even if the relay offers STARTTLS.
      secure: security === "tls",
      requireTLS: security === "starttls",
      ignoreTLS: security === "none",
      ...(user === undefined || password === undefined ? {} : { auth: { user, pass: password } }),
      ...(typeof config.heloName === "string" ? { name: config.heloName } : {}),
      maxConnections: Number(config.maxConnections ?? DEFAULT_MAX_CONNECTIONS),
      idleTimeout: this.#options.idleMs ?? 30_000,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      tls: {
        minVersion: "TLSv1.2",
        ...(this.#options.ca === undefined ? {} : { ca: this.#options.ca }),
      },
      getSocket: guardedSmtpSocket({
        allowPrivate: this.#options.allowPrivate,
        timeoutMs,
        ...lookup,
      }),
      // Nothing in a payload may make Nodemailer read a file or fetch a URL on its own.
      disableFileAccess: true,
      disableUrlAccess: true,
      logger: false,
    } as Parameters<typeof createTransport>[0]);
  }
}
