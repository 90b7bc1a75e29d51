/**
 * Signing in and out, and the operator's company picker. An admin key is checked once by
 * `AdminAuth` (the API's own check) and turned into a signed session; the key itself is
 * never stored in the browser.
 *
 * @module
 */
import { clearCookie, FLASH_COOKIE, isHttps, readCookie, SESSION_COOKIE } from "./cookies.ts";
import { crossSiteProblem } from "./csrf.ts";
import { htmlResponse, redirectResponse } from "./responses.ts";
import type { UiKit } from "./ui_kit.ts";
import { signInPage } from "./views/sign_in.ts";

const HOME = "/settings/integrations";

/** GET /settings/sign-in: the form, or home when already signed in. */
export async function showSignIn(kit: UiKit, request: Request): Promise<Response> {
  const requestId = kit.deps.requestIds.of(request);
  if ((await kit.context(request)) !== null) return redirectResponse(HOME, { requestId });
  return htmlResponse(signInPage(), { requestId });
}

/** POST /settings/sign-in: a right key sets the session cookie; a wrong one sets nothing. */
export async function signIn(kit: UiKit, request: Request): Promise<Response> {
  const requestId = kit.deps.requestIds.of(request);
  // No session yet, so no session token: the browser's origin headers must vouch for the form.
  const crossSite = crossSiteProblem(request, {
    publicUrl: kit.deps.admin.publicUrl,
    requireBrowserSignal: true,
  });
  if (crossSite !== null) return kit.refuse(requestId, crossSite);
  const form = await kit.readForm(request);
  const key = form?.get("adminKey")?.trim() ?? "";
  const caller = key === "" ? null : await kit.deps.auth.authenticate(`Bearer ${key}`, null);
  if (caller === null || !caller.ok) {
    const error =
      key === "" ? "Enter an admin key." : "That admin key is not valid. Check it and try again.";
    return htmlResponse(signInPage({ error }), { status: 401, requestId });
  }
  const owner = caller.operator ? "operator" : caller.company.id;
  const session = await kit.openSession(owner, caller.keyId);
  return redirectResponse(HOME, { requestId, cookies: [kit.sessionCookie(session, request)] });
}

/** POST /settings/sign-out: ends the session on every instance and clears its cookie (and any unread flash). */
export async function signOut(kit: UiKit, request: Request): Promise<Response> {
  const requestId = kit.deps.requestIds.of(request);
  const crossSite = crossSiteProblem(request, { publicUrl: kit.deps.admin.publicUrl });
  if (crossSite !== null) return kit.refuse(requestId, crossSite);
  const ctx = await kit.context(request);
  const form = await kit.readForm(request);
  if (ctx !== null && !kit.sessions.checkCsrf(ctx.session, form?.get("csrf") ?? null)) {
    return kit.refuse(requestId, "its security token is missing or stale");
  }
  // Ended where every instance looks: the cookie alone would stay valid until it expires.
  if (ctx !== null) await kit.endSession(ctx.session);
  const secure = isHttps(request);
  const cookies = [clearCookie(SESSION_COOKIE, secure)];
  if (readCookie(request.headers.get("cookie"), FLASH_COOKIE) !== null) {
    cookies.push(clearCookie(FLASH_COOKIE, secure));
  }
  return redirectResponse("/settings/sign-in", { requestId, cookies });
}

/** POST /settings/company: the operator picks the company the page acts on. */
export function switchCompany(kit: UiKit, request: Request): Promise<Response> {
  return kit.action(request, async (ctx, form) => {
    const companyId = form.get("companyId") ?? "";
    const company = ctx.operator ? await kit.deps.admin.companies.getCompany(companyId) : null;
    if (company === null) {
      return { redirect: HOME, flash: { notice: { tone: "error", text: "No such company." } } };
    }
    return {
      redirect: HOME,
      session: { ...ctx.session, companyId: company.id },
      flash: { notice: { tone: "ok", text: `Now managing “${company.name}”.` } },
    };
  });
}
