/**
 * The POSTs of Settings → Integrations. Each one calls the admin use case the API calls and
 * redirects to a page (post/redirect/get); a revealed secret travels in the one-time flash.
 *
 * @module
 */
import type { Reply } from "../http/reply.ts";
import * as integrations from "../services/admin_integrations.ts";
import * as rotation from "../services/admin_rotation.ts";
import { testWebhook } from "../services/admin_webhooks.ts";
import { decode, type ErrorJson, type IntegrationJson, loadChannels } from "./admin_data.ts";
import type { RevealedSecret } from "./flash.ts";
import { notFound } from "./integration_pages.ts";
import { fieldOf, parseNewIntegration } from "./new_integration_input.ts";
import type { Outcome, UiCtx, UiKit } from "./ui_kit.ts";
import { type FieldErrors, newIntegrationPage } from "./views/integration_form.ts";

const HOME = "/settings/integrations";

const FIELD_LABELS: Record<Exclude<keyof FieldErrors, "form">, string> = {
  name: "Name",
  kind: "Kind",
  scope: "Scope",
  type: "Type",
  channelId: "Instance",
  url: "URL",
  bearerToken: "Bearer token",
};

/** POST /settings/integrations: seed steps 2–5. */
export function create(kit: UiKit, request: Request): Promise<Response> {
  return kit.action(request, async (ctx, form) => {
    const channels = await loadChannels(kit.deps.admin, ctx.company);
    const parsed = parseNewIntegration(form, channels);
    const bearerDropped = (form.get("bearerToken") ?? "").trim() !== "";
    const again = (errors: FieldErrors): Outcome => ({
      status: 400,
      page: newIntegrationPage({
        channels,
        values: parsed.values,
        errors,
        header: ctx.header,
        bearerDropped,
      }),
    });
    if (!parsed.ok) return again(parsed.errors);
    const reply = await integrations.createIntegration(
      kit.deps.admin,
      ctx.company,
      parsed.input,
      ctx.requestId,
    );
    if (reply.status !== 201) return again(errorsOf(reply));
    const created = decode<{
      integration: IntegrationJson;
      token?: string;
      signingSecret?: string;
    }>(reply);
    const id = created.integration.id;
    const secret = revealed(id, created);
    const text = `Integration “${created.integration.name}” created.`;
    return { redirect: `${HOME}/${id}`, flash: { secret, notice: { tone: "ok", text } } };
  });
}

/** POST /settings/integrations/:id/enable and …/disable */
export function setEnabled(
  kit: UiKit,
  request: Request,
  id: string,
  enabled: boolean,
): Promise<Response> {
  return kit.action(request, async (ctx) => {
    const reply = await integrations.patchIntegration(
      kit.deps.admin,
      ctx.company,
      id,
      { enabled },
      ctx.requestId,
    );
    if (reply.status === 404) return notFound(id);
    if (reply.status !== 200) return failed(id, reply);
    const text = enabled
      ? "Integration enabled."
      : "Integration disabled: nothing is sent or accepted until you enable it.";
    return { redirect: `${HOME}/${id}`, flash: { notice: { tone: "ok", text } } };
  });
}

/** POST /settings/integrations/:id/rotate: the new token or signing secret, shown once. */
export function rotate(kit: UiKit, request: Request, id: string): Promise<Response> {
  return kit.action(request, async (ctx) => {
    const reply = await rotation.rotateIntegration(kit.deps.admin, ctx.company, id, ctx.requestId);
    if (reply.status === 404) return notFound(id);
    if (reply.status !== 200) return failed(id, reply);
    const body = decode<{ token?: string; signingSecret?: string }>(reply);
    const secret = revealed(id, body);
    const text =
      body.token === undefined
        ? "Signing secret rotated."
        : "Token rotated: the previous token no longer works.";
    return { redirect: `${HOME}/${id}`, flash: { secret, notice: { tone: "ok", text } } };
  });
}

/** POST /settings/integrations/:id/delete */
export function remove(kit: UiKit, request: Request, id: string): Promise<Response> {
  return kit.action(request, async (ctx) => {
    const reply = await integrations.deleteIntegration(
      kit.deps.admin,
      ctx.company,
      id,
      ctx.requestId,
    );
    if (reply.status === 404) return notFound(id);
    if (reply.status !== 204) return failed(id, reply);
    return { redirect: HOME, flash: { notice: { tone: "ok", text: "Integration deleted." } } };
  });
}

/** POST /settings/integrations/:id/test: one attempt now; its result is the notice. */
export function sendTest(kit: UiKit, request: Request, id: string): Promise<Response> {
  return kit.action(request, async (ctx: UiCtx) => {
    const reply = await testWebhook(kit.deps.admin, ctx.company, id, ctx.requestId);
    if (reply.status === 404) return notFound(id);
    if (reply.status !== 200) return failed(id, reply);
    const result = decode<TestResult>(reply);
    return { redirect: `${HOME}/${id}`, flash: { notice: testNotice(result) } };
  });
}

interface TestResult {
  status: "succeeded" | "failed";
  attempt: { statusCode: number | null; durationMs: number; error: string | null };
}

function testNotice(result: TestResult): { tone: "ok" | "error"; text: string } {
  const { statusCode, durationMs, error } = result.attempt;
  const answer = statusCode === null ? "no HTTP answer" : `HTTP ${statusCode}`;
  if (result.status === "succeeded") {
    return { tone: "ok", text: `Test event delivered: ${answer} in ${durationMs} ms.` };
  }
  const why = error === null ? "" : ` (${error})`;
  return { tone: "error", text: `Test event failed: ${answer} after ${durationMs} ms${why}.` };
}

/** The secret a creation or rotation answered: a custom token or a webhook signing secret. */
function revealed(id: string, body: { token?: string; signingSecret?: string }): RevealedSecret {
  return body.token === undefined
    ? { integrationId: id, kind: "signingSecret", value: body.signingSecret ?? "" }
    : { integrationId: id, kind: "token", value: body.token };
}

function failed(id: string, reply: Reply): Outcome {
  const body = decode<ErrorJson>(reply);
  const detail = body.details?.map((d) => d.message).join("; ");
  const text = detail ? `${body.message}: ${detail}` : body.message;
  return { redirect: `${HOME}/${id}`, flash: { notice: { tone: "error", text } } };
}

function errorsOf(reply: Reply): FieldErrors {
  const body = decode<ErrorJson>(reply);
  const errors: FieldErrors = {};
  for (const detail of body.details ?? [{ path: "", message: body.message }]) {
    const field = fieldOf(detail.path);
    errors[field] = field === "form" ? detail.message : `${FIELD_LABELS[field]}: ${detail.message}`;
  }
  return errors;
}
