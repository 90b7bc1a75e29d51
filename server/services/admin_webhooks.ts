/**
 * Webhook operations of the admin API (docs/api.md#admin-api): test events, event replay, the delivery
 * log and manual retries.
 *
 * @module
 */
import type {
  Company,
  Delivery,
  DeliveryAttempt,
  StoredEvent,
  WebhookIntegration,
} from "../../core/domain.ts";
import { buildTestEnvelope } from "../../core/events.ts";
import { liveSigningSecrets } from "../../core/signing_secrets.ts";
import { selectWebhookTargets } from "../../core/union_rule.ts";
import { errorReply, jsonReply, type Reply } from "../http/reply.ts";
import type { AttemptView, DeliveryView, EventView } from "../schemas/admin_views.ts";
import { attemptDelivery } from "../worker/attempt.ts";
import { type AdminDeps, pageOf } from "./admin_deps.ts";

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());
const isoOf = (date: Date): string => date.toISOString();

export function deliveryView(delivery: Delivery): DeliveryView {
  return {
    id: delivery.id,
    eventId: delivery.eventId,
    webhookId: delivery.webhookId,
    status: delivery.status,
    attempts: delivery.attempts,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    lastStatusCode: delivery.lastStatusCode,
    lastError: delivery.lastError,
    createdAt: isoOf(delivery.createdAt),
    updatedAt: isoOf(delivery.updatedAt),
  };
}

export function attemptView(attempt: DeliveryAttempt): AttemptView {
  return {
    id: attempt.id,
    trigger: attempt.trigger,
    startedAt: isoOf(attempt.startedAt),
    durationMs: attempt.durationMs,
    statusCode: attempt.statusCode,
    responseBody: attempt.responseBody,
    error: attempt.error,
  };
}

function eventView(event: StoredEvent): EventView {
  return {
    id: event.id,
    type: event.type,
    channelId: event.channelId,
    messageId: event.messageId,
    createdAt: isoOf(event.createdAt),
    envelope: JSON.parse(event.payload),
  };
}

/** Sends `integration.test` to one webhook now and answers with the attempt. */
export async function testWebhook(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const webhook = await findWebhook(deps, company, id);
  if (webhook === null)
    return errorReply("NOT_FOUND", { requestId, message: `Webhook "${id}" not found` });
  const now = deps.clock.now();
  const channel =
    webhook.channelId === null
      ? null
      : await deps.channels.getChannel(company.id, webhook.channelId);
  const eventId = deps.ids("event");
  const envelope = buildTestEnvelope({
    id: eventId,
    createdAt: now,
    companyId: company.id,
    channel,
    integrationId: webhook.id,
  });
  const event: StoredEvent = {
    id: eventId,
    companyId: company.id,
    channelId: channel?.id ?? null,
    type: "integration.test",
    messageId: null,
    payload: JSON.stringify(envelope),
    createdAt: new Date(now),
  };
  const deliveryId = deps.ids("delivery");
  const delivery: Delivery = {
    id: deliveryId,
    companyId: company.id,
    eventId,
    webhookId: webhook.id,
    status: "pending",
    attempts: 0,
    nextAttemptAt: null,
    leaseUntil: null,
    lastStatusCode: null,
    lastError: null,
    createdAt: new Date(now),
    updatedAt: new Date(now),
  };
  // Attempt first, then store the event with its settled delivery in the same write batch:
  // stored first, the delivery would be due and a worker could send it a second time.
  const result = await attemptDelivery(deps.attempt, {
    delivery,
    event,
    webhook,
    trigger: "manual",
  });
  // A test is one try: it is not retried on the schedule.
  const outcome = {
    ...result.outcome,
    status: result.outcome.webhookSucceeded ? ("succeeded" as const) : ("failed" as const),
    nextAttemptAt: null,
  };
  await Promise.all([
    deps.deliveries.saveEvent({ event, deliveries: [[deliveryId, webhook.id]] }),
    deps.deliveries.recordManualAttempt(deliveryId, result.attempt, outcome),
  ]);
  if (result.gone) {
    await deps.integrations.updateIntegration(
      company.id,
      webhook.id,
      { enabled: false, disabledReason: "gone" },
      new Date(deps.clock.now()),
    );
    deps.webhooks.invalidate(company.id);
  }
  return jsonReply(200, {
    eventId,
    deliveryId,
    status: outcome.status,
    attempt: attemptView(result.attempt),
  });
}

export async function signingSecret(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const webhook = await findWebhook(deps, company, id);
  if (webhook === null)
    return errorReply("NOT_FOUND", { requestId, message: `Webhook "${id}" not found` });
  const now = deps.clock.now();
  const [current, ...previous] = liveSigningSecrets(webhook.signingSecrets, now);
  return jsonReply(200, {
    signingSecret: current?.secret ?? null,
    previous: previous.map((s) => ({ signingSecret: s.secret, expiresAt: iso(s.expiresAt) })),
  });
}

export async function listEvents(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; channelId?: string },
): Promise<Reply> {
  const page = await deps.deliveries.listEvents(company.id, {
    ...pageOf(query),
    ...(query.channelId === undefined ? {} : { channelId: query.channelId }),
  });
  return jsonReply(200, { data: page.data.map(eventView), nextCursor: page.nextCursor });
}

export async function getEvent(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const event = await deps.deliveries.getEvent(company.id, id);
  if (event === null)
    return errorReply("NOT_FOUND", { requestId, message: `Event "${id}" not found` });
  return jsonReply(200, eventView(event));
}

/** docs/api.md#webhooks: events can be replayed to today's targets (the union rule as it stands now). */
export async function replayEvent(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const event = await deps.deliveries.getEvent(company.id, id);
  if (event === null)
    return errorReply("NOT_FOUND", { requestId, message: `Event "${id}" not found` });
  // A recipient.* event an operator caused has no channel, and is replayed like any other.
  if (event.type === "integration.test") {
    return errorReply("VALIDATION_ERROR", {
      requestId,
      details: [{ path: "", message: "Test events are not replayed; send a new test instead" }],
    });
  }
  const webhooks = await deps.webhooks.forCompany(company.id);
  const targets = selectWebhookTargets(
    { companyId: company.id, channelId: event.channelId, type: event.type },
    webhooks,
  );
  const deliveries = targets.map((webhook) => [deps.ids("delivery"), webhook.id] as const);
  await deps.deliveries.addDeliveries(event.id, deliveries, new Date(deps.clock.now()));
  deps.signal.notify();
  return jsonReply(202, {
    eventId: event.id,
    deliveries: deliveries.map(([deliveryId, webhookId]) => ({ id: deliveryId, webhookId })),
  });
}

export async function listDeliveries(
  deps: AdminDeps,
  company: Company,
  query: { limit?: number; cursor?: string; webhookId?: string; eventId?: string; status?: string },
): Promise<Reply> {
  const status =
    query.status === "pending" || query.status === "succeeded" || query.status === "failed"
      ? query.status
      : undefined;
  const page = await deps.deliveries.listDeliveries(company.id, {
    ...pageOf(query),
    ...(query.webhookId === undefined ? {} : { webhookId: query.webhookId }),
    ...(query.eventId === undefined ? {} : { eventId: query.eventId }),
    ...(status === undefined ? {} : { status }),
  });
  return jsonReply(200, { data: page.data.map(deliveryView), nextCursor: page.nextCursor });
}

export async function getDelivery(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const found = await deps.deliveries.getDelivery(company.id, id);
  if (found === null)
    return errorReply("NOT_FOUND", { requestId, message: `Delivery "${id}" not found` });
  return jsonReply(200, {
    ...deliveryView(found.delivery),
    attempts: found.attempts.map(attemptView),
  });
}

export async function retryDelivery(
  deps: AdminDeps,
  company: Company,
  id: string,
  requestId: string,
): Promise<Reply> {
  const delivery = await deps.deliveries.retryDelivery(company.id, id, new Date(deps.clock.now()));
  if (delivery === null)
    return errorReply("NOT_FOUND", { requestId, message: `Delivery "${id}" not found` });
  deps.signal.notify();
  return jsonReply(202, deliveryView(delivery));
}

async function findWebhook(
  deps: AdminDeps,
  company: Company,
  id: string,
): Promise<WebhookIntegration | null> {
  const integration = await deps.integrations.getIntegration(company.id, id);
  return integration?.kind === "webhook" ? integration : null;
}
