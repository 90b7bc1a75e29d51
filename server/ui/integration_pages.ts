/**
 * The GET pages of Settings → Integrations: the list, New integration, one integration, and
 * the confirmations before a rotation or a deletion.
 *
 * @module
 */
import { loadChannels, loadDeliveries, loadIntegration, loadIntegrations } from "./admin_data.ts";
import type { Outcome, UiCtx, UiKit } from "./ui_kit.ts";
import { confirmPage } from "./views/confirm.ts";
import { detailPage } from "./views/integration_detail.ts";
import { newIntegrationPage } from "./views/integration_form.ts";
import { listPage } from "./views/integration_list.ts";

const HOME = "/settings/integrations";

/** GET /settings/integrations */
export function showList(kit: UiKit, request: Request, cursor?: string): Promise<Response> {
  return kit.page(request, async (ctx) => {
    const deps = kit.deps.admin;
    const [page, channels] = await Promise.all([
      loadIntegrations(deps, ctx.company, cursor),
      loadChannels(deps, ctx.company),
    ]);
    const data = { integrations: page.data, channels, nextCursor: page.nextCursor, now: ctx.now };
    return { page: listPage(data, ctx.header, ctx.flash?.notice) };
  });
}

/** GET /settings/integrations/new (`?kind=webhook|custom` preselects step 2). */
export function showNew(kit: UiKit, request: Request, kind?: string): Promise<Response> {
  return kit.page(request, async (ctx) => {
    const channels = await loadChannels(kit.deps.admin, ctx.company);
    const values = kind === "webhook" || kind === "custom" ? { kind } : {};
    return { page: newIntegrationPage({ channels, values, errors: {}, header: ctx.header }) };
  });
}

/** GET /settings/integrations/:id, with the secret the last POST revealed, once. */
export function showDetail(kit: UiKit, request: Request, id: string): Promise<Response> {
  return kit.page(request, async (ctx) => {
    const deps = kit.deps.admin;
    const integration = await loadIntegration(deps, ctx.company, id, ctx.requestId);
    if (integration === null) return notFound(id);
    const [channels, deliveries] = await Promise.all([
      loadChannels(deps, ctx.company),
      integration.kind === "webhook" ? loadDeliveries(deps, ctx.company, id) : [],
    ]);
    const revealed = ctx.flash?.secret;
    const secret = revealed?.integrationId === id ? revealed : null;
    const data = { integration, channels, deliveries, secret, now: ctx.now };
    return { page: detailPage(data, ctx.header, ctx.flash?.notice) };
  });
}

/** GET /settings/integrations/:id/delete */
export function confirmDelete(kit: UiKit, request: Request, id: string): Promise<Response> {
  return confirm(kit, request, id, (ctx, name, kind) => ({
    title: `Delete “${name}”?`,
    message:
      kind === "webhook"
        ? ["Sendeasy stops sending events to this URL at once. This cannot be undone."]
        : [
            "The token stops working at once: applications using it get 401 ERR_NO_PERMISSION.",
            "This cannot be undone.",
          ],
    action: `${HOME}/${id}/delete`,
    button: "Delete integration",
    cancelHref: `${HOME}/${id}`,
    header: ctx.header,
  }));
}

/** GET /settings/integrations/:id/rotate */
export function confirmRotate(kit: UiKit, request: Request, id: string): Promise<Response> {
  return confirm(kit, request, id, (ctx, name, kind) => ({
    title:
      kind === "webhook"
        ? `Rotate the signing secret of “${name}”?`
        : `Rotate the token of “${name}”?`,
    message:
      kind === "webhook"
        ? [
            "A new signing secret is created and shown once.",
            "For 24 hours events carry signatures with both the old and the new secret, so you can update your receiver without missing any.",
          ]
        : [
            "A new token is created and shown once.",
            "The current token stops working immediately: update your application right after.",
          ],
    action: `${HOME}/${id}/rotate`,
    button: kind === "webhook" ? "Rotate signing secret" : "Rotate token",
    cancelHref: `${HOME}/${id}`,
    header: ctx.header,
  }));
}

function confirm(
  kit: UiKit,
  request: Request,
  id: string,
  options: (
    ctx: UiCtx,
    name: string,
    kind: "webhook" | "custom",
  ) => Parameters<typeof confirmPage>[0],
): Promise<Response> {
  return kit.page(request, async (ctx) => {
    const integration = await loadIntegration(kit.deps.admin, ctx.company, id, ctx.requestId);
    if (integration === null) return notFound(id);
    return { page: confirmPage(options(ctx, integration.name, integration.kind)) };
  });
}

/** Another company's or a deleted integration: back to the list, saying so. */
export function notFound(id: string): Outcome {
  return {
    redirect: HOME,
    flash: { notice: { tone: "error", text: `Integration “${id}” was not found.` } },
  };
}
