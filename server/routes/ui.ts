/**
 * Settings → Integrations (README.md#settings--integrations-page): the web page's routes. Handlers live in `server/ui/`
 * and know nothing of Elysia; this file only maps paths to them.
 *
 * @module
 */
import { Elysia } from "elysia";
import { assetResponse } from "../ui/assets.ts";
import * as actions from "../ui/integration_actions.ts";
import * as pages from "../ui/integration_pages.ts";
import { showSignIn, signIn, signOut, switchCompany } from "../ui/sign_in_handlers.ts";
import { type UiDeps, UiKit } from "../ui/ui_kit.ts";

const hidden = { detail: { hide: true } } as const;
const form = { parse: "none", ...hidden } as const;

const home = (): Response =>
  new Response(null, { status: 303, headers: { location: "/settings/integrations" } });

/** The settings page's routes, under `/settings`. */
export function uiRoutes(deps: UiDeps) {
  const kit = new UiKit(deps);
  return new Elysia({ name: "ui", prefix: "/settings", normalize: false })
    .get("/", () => home(), hidden)
    .get(
      "/assets/:name",
      ({ request, params }) => assetResponse(params.name, deps.requestIds.of(request)),
      hidden,
    )
    .get("/sign-in", ({ request }) => showSignIn(kit, request), hidden)
    .post("/sign-in", ({ request }) => signIn(kit, request), form)
    .post("/sign-out", ({ request }) => signOut(kit, request), form)
    .post("/company", ({ request }) => switchCompany(kit, request), form)
    .get(
      "/integrations",
      ({ request, query }) => pages.showList(kit, request, query.cursor),
      hidden,
    )
    .post("/integrations", ({ request }) => actions.create(kit, request), form)
    .get(
      "/integrations/new",
      ({ request, query }) => pages.showNew(kit, request, query.kind),
      hidden,
    )
    .get(
      "/integrations/:id",
      ({ request, params }) => pages.showDetail(kit, request, params.id),
      hidden,
    )
    .get(
      "/integrations/:id/delete",
      ({ request, params }) => pages.confirmDelete(kit, request, params.id),
      hidden,
    )
    .post(
      "/integrations/:id/delete",
      ({ request, params }) => actions.remove(kit, request, params.id),
      form,
    )
    .get(
      "/integrations/:id/rotate",
      ({ request, params }) => pages.confirmRotate(kit, request, params.id),
      hidden,
    )
    .post(
      "/integrations/:id/rotate",
      ({ request, params }) => actions.rotate(kit, request, params.id),
      form,
    )
    .post(
      "/integrations/:id/enable",
      ({ request, params }) => actions.setEnabled(kit, request, params.id, true),
      form,
    )
    .post(
      "/integrations/:id/disable",
      ({ request, params }) => actions.setEnabled(kit, request, params.id, false),
      form,
    )
    .post(
      "/integrations/:id/test",
      ({ request, params }) => actions.sendTest(kit, request, params.id),
      form,
    );
}
