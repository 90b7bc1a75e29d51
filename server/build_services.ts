/**
 * The composition root's wiring (docs/architecture.md#the-hexagon): the adapters become the
 * use cases' dependencies, the workers and the providers. `app.ts` starts what this builds.
 *
 * @module
 */
import { guardedAttachmentFetch } from "../adapters/attachments/guarded_fetch.ts";
import { openAttachments } from "../adapters/attachments/open_attachments.ts";
import { CachedTokenStore } from "../adapters/cache/cached_token_store.ts";
import { checkOutboundTarget, createGuardedFetch } from "../adapters/outbound/mod.ts";
import { MetaWhatsAppProvider } from "../adapters/providers/meta.ts";
import { ResendEmailProvider, resendClients } from "../adapters/providers/resend.ts";
import { SandboxProvider } from "../adapters/providers/sandbox.ts";
import { SmtpEmailProvider } from "../adapters/providers/smtp.ts";
import { TwilioProvider, twilioClients } from "../adapters/providers/twilio.ts";
import { guardHost } from "../adapters/webhooks/dns_guard.ts";
import { HttpWebhookTransport } from "../adapters/webhooks/http_transport.ts";
import { createIdFactory, type IdKind } from "../core/ids.ts";
import type { Clock } from "../core/ports/clock.ts";
import { signWebhookWith } from "../core/signatures.ts";
import type { StartOptions } from "./app.ts";
import type { Backends } from "./backends.ts";
import type { ServerEnv } from "./env.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics/metrics.ts";
import { buildOperations, type Operations } from "./operations.ts";
import type { AdminDeps } from "./services/admin_deps.ts";
import { hmacSha256Base64 } from "./services/hash.ts";
import { NotifyingMessageStore } from "./services/notifying_message_store.ts";
import { SandboxReports } from "./services/sandbox_reports.ts";
import type { SendDeps } from "./services/send_service.ts";
import { WebhookDirectory } from "./services/webhook_directory.ts";
import type { AttemptDeps } from "./worker/attempt.ts";
import { DeliveryWorker } from "./worker/delivery_worker.ts";
import { DeliveryHandoff } from "./worker/handoff.ts";
import { SendWorker } from "./worker/send_worker.ts";

/** What {@linkcode buildServices} wires, not yet started. */
export interface Services {
  ids: (kind: IdKind) => string;
  sandbox: SandboxProvider;
  sandboxReports: SandboxReports;
  smtp: SmtpEmailProvider;
  sendDeps: SendDeps;
  adminDeps: AdminDeps;
  worker: DeliveryWorker;
  sendWorker: SendWorker;
  operations: Operations;
}

const randomBytes = (length: number): Uint8Array => crypto.getRandomValues(new Uint8Array(length));

/**
 * Builds the use cases' dependencies from the adapters: the delivery and send workers, the
 * providers, the sandbox and its reports, operations, and what the send and admin routes
 * need.
 *
 * @param env the validated environment
 * @param parts the opened backends, the clock, the logger, the start options and the metrics
 * @returns the wired services, not started
 */
export function buildServices(
  env: ServerEnv,
  parts: {
    backends: Backends;
    clock: Clock;
    logger: Logger;
    options: Pick<StartOptions, "lookup" | "smtp">;
    metrics: Metrics;
  },
): Services {
  const { backends, clock, logger, options, metrics } = parts;
  const { store, tokenCache, signal } = backends;
  const ids = createIdFactory(clock, randomBytes);
  const webhooks = new WebhookDirectory(store.integrations, { changes: backends.webhookChanges });
  // One address policy for every URL called on a company's behalf.
  const outbound = {
    allowPrivate: env.allowPrivateWebhooks,
    ...(options.lookup === undefined ? {} : { lookup: options.lookup }),
  };
  const guardedFetch = createGuardedFetch(outbound);
  const checkUrl = (url: string, what: string) => checkOutboundTarget(url, { ...outbound, what });
  const attempt: AttemptDeps = {
    transport: new HttpWebhookTransport(outbound),
    now: () => clock.now(),
    random: Math.random,
    newAttemptId: () => ids("attempt"),
    retrySchedule: env.webhookRetrySchedule,
    timeoutMs: env.webhookTimeoutMs,
    sign: (message, secrets) => signWebhookWith(hmacSha256Base64, message, secrets),
    onAttempt: (outcome, trigger) => metrics.attempt(outcome, trigger),
  };
  const operations = buildOperations(env, {
    store,
    clock,
    ids,
    logger,
    outbound,
    sign: (message, secrets) => signWebhookWith(hmacSha256Base64, message, secrets),
  });
  const worker = new DeliveryWorker({
    deliveries: store.deliveries,
    integrations: store.integrations,
    webhooks,
    signal,
    attempt,
    logger,
    ...(operations.alerts === undefined ? {} : { alerts: operations.alerts }),
  });
  // A saved message's deliveries go to this worker straight from the write when it has room.
  const messages = new NotifyingMessageStore(
    store.messages,
    signal,
    new DeliveryHandoff(worker, webhooks),
  );
  // The one place e-mail attachment URLs get their fetcher and its address check.
  const fetchAttachment = guardedAttachmentFetch(outbound);
  const smtp = new SmtpEmailProvider({ ...options.smtp, ...outbound });
  // The sandbox's reports: made on time from memory, and found again in the rows after a
  // restart or a crash (durable scheduled work).
  const sandboxReports = new SandboxReports({
    channels: store.channels,
    messages,
    webhooks,
    ids,
    clock,
    logger,
    findChannel: (id) => store.channels.findChannelById(id),
  });
  const sandbox = new SandboxProvider((report) => sandboxReports.report(report));
  const sendDeps: SendDeps = {
    tokens: new CachedTokenStore(store.tokens, tokenCache),
    channels: store.channels,
    integrations: store.integrations,
    messages,
    idempotency: backends.idempotency,
    suppressions: store.suppressions,
    contactWindows: store.contactWindows,
    signal,
    limiter: backends.limiter,
    providers: {
      sandbox,
      resend: new ResendEmailProvider({ clientFor: resendClients({ fetch: guardedFetch }) }),
      twilio: new TwilioProvider({ clientFor: twilioClients({ fetch: guardedFetch }) }),
      meta: new MetaWhatsAppProvider({ fetch: guardedFetch }),
      smtp,
    },
    openAttachments: (attachments) =>
      openAttachments(attachments, { fetch: fetchAttachment, timeoutMs: env.providerTimeoutMs }),
    webhooks,
    ids,
    clock,
    logger,
    providerTimeoutMs: env.providerTimeoutMs,
    publicUrl: env.publicUrl,
    checkUrl,
    ...(operations.alerts === undefined ? {} : { alerts: operations.alerts }),
    metrics,
    pacer: backends.pacer,
    sendQueueMs: env.sendQueueMs,
    sendQueue: store.sendQueue,
  };
  const sendWorker = new SendWorker({
    ...sendDeps,
    queue: store.sendQueue,
    random: Math.random,
    paceBudgetMs: env.sendQueueMs,
    // A claim outlives its pace wait and a provider that never answers: a crashed worker's
    // sends are taken again once it runs out.
    leaseMs: env.sendQueueMs + 2 * env.providerTimeoutMs + 5_000,
  });
  const adminDeps: AdminDeps = {
    companies: store.companies,
    channels: store.channels,
    integrations: store.integrations,
    messages,
    sendQueue: store.sendQueue,
    deliveries: store.deliveries,
    operations: store.operations,
    suppressions: store.suppressions,
    contactWindows: store.contactWindows,
    signal,
    attempt,
    tokenCache,
    webhooks,
    ids,
    clock,
    random: randomBytes,
    publicUrl: env.publicUrl,
    allowPrivateWebhooks: env.allowPrivateWebhooks,
    checkUrl,
    guardHost: (hostname, what) => guardHost(hostname, { ...outbound, what }),
  };
  return {
    ids,
    sandbox,
    sandboxReports,
    smtp,
    sendDeps,
    adminDeps,
    worker,
    sendWorker,
    operations,
  };
}
