/**
 * What every settings handler shares: the signed-in caller from the session cookie, the
 * company it acts on, the one-time flash, the CSRF checks on POSTs, and turning an outcome
 * into a response. Framework-free: handlers take a `Request` and answer a `Response`.
 *
 * @module
 */
import type { Company } from "../../core/domain.ts";
import { readBodyLimited } from "../http/read_body.ts";
import type { RequestIds } from "../http/request_ids.ts";
import type { AdminAuth } from "../services/admin_auth.ts";
import type { AdminDeps } from "../services/admin_deps.ts";
import { sha256Hex } from "../services/hash.ts";
import { loadCompanies } from "./admin_data.ts";
import {
  clearCookie,
  FLASH_COOKIE,
  isHttps,
  readCookie,
  SESSION_COOKIE,
  setCookie,
} from "./cookies.ts";
import { crossSiteProblem } from "./csrf.ts";
import { FLASH_TTL_MS, type Flash, FlashBox } from "./flash.ts";
import type { SafeHtml } from "./html.ts";
import { htmlResponse, redirectResponse } from "./responses.ts";
import { SessionCodec, type UiSession } from "./session.ts";
import type { UiKeys } from "./ui_keys.ts";
import { refusedPage } from "./views/confirm.ts";
import type { HeaderInfo } from "./views/layout.ts";

/** What the settings page needs, built by the composition root. */
export interface UiDeps {
  admin: AdminDeps;
  auth: AdminAuth;
  keys: UiKeys;
  requestIds: RequestIds;
}

/** A signed-in request. */
export interface UiCtx {
  request: Request;
  requestId: string;
  now: number;
  session: UiSession;
  company: Company;
  operator: boolean;
  header: HeaderInfo;
  /** The one-time message the previous POST left, already cleared for the next request. */
  flash: Flash | null;
}

/** What a handler decided: a page, or a redirect with an optional flash and new session. */
export type Outcome =
  | { page: SafeHtml; status?: number }
  | { redirect: string; flash?: Flash; session?: UiSession };

/** The largest form the page ever posts; anything bigger is not from it. */
const MAX_FORM_BYTES = 64 * 1024;

const SIGN_IN = "/settings/sign-in";

export class UiKit {
  readonly deps: UiDeps;
  readonly sessions: SessionCodec;
  readonly flashes: FlashBox;

  constructor(deps: UiDeps) {
    this.deps = deps;
    this.sessions = new SessionCodec(deps.keys.session);
    this.flashes = new FlashBox(deps.keys.flash);
  }

  /** The current time, from the server's clock (tests move it). */
  now(): number {
    return this.deps.admin.clock.now();
  }

  /** A GET page for a signed-in caller; others go to the sign-in page. */
  async page(request: Request, render: (ctx: UiCtx) => Promise<Outcome>): Promise<Response> {
    const ctx = await this.context(request);
    if (ctx === null) return this.toSignIn(request);
    return this.respond(ctx, await render(ctx));
  }

  /**
   * A form POST: refused (403) when it looks cross-site or lacks the session's CSRF token;
   * a caller without a session goes to the sign-in page and nothing happens.
   */
  async action(
    request: Request,
    run: (ctx: UiCtx, form: URLSearchParams) => Promise<Outcome>,
  ): Promise<Response> {
    const requestId = this.deps.requestIds.of(request);
    const crossSite = crossSiteProblem(request, { publicUrl: this.deps.admin.publicUrl });
    if (crossSite !== null) return this.refuse(requestId, crossSite);
    const ctx = await this.context(request);
    if (ctx === null) return this.toSignIn(request);
    const form = await readForm(request);
    if (form === null) return this.refuse(requestId, "the form is too large");
    if (!this.sessions.checkCsrf(ctx.session, form.get("csrf"))) {
      return this.refuse(requestId, "its security token is missing or stale");
    }
    return this.respond(ctx, await run(ctx, form));
  }

  /** 403 with an explanation; nothing was changed. */
  refuse(requestId: string, reason: string): Response {
    return htmlResponse(refusedPage(reason), { status: 403, requestId });
  }

  /**
   * A new session for `owner`, recorded so it can be ended everywhere (sign-out, or revoking
   * the key it was opened with).
   *
   * @param keyId the stored admin key that signed in, or `null` for `SENDEASY_ADMIN_KEY`
   */
  async openSession(owner: string, keyId: string | null): Promise<UiSession> {
    const session = this.sessions.create(owner, this.now());
    await this.deps.admin.companies.openSession({
      id: sha256Hex(session.sid),
      keyId,
      createdAt: new Date(this.now()),
      expiresAt: new Date(session.exp),
    });
    return session;
  }

  /** Ends `session` on every instance (signing out). */
  endSession(session: UiSession): Promise<void> {
    return this.deps.admin.companies.endSession(sha256Hex(session.sid), new Date(this.now()));
  }

  /** The `Set-Cookie` value that stores `session`. */
  sessionCookie(session: UiSession, request: Request): string {
    const maxAgeSeconds = (session.exp - this.now()) / 1000;
    return setCookie(SESSION_COOKIE, this.sessions.encode(session), {
      maxAgeSeconds,
      secure: isHttps(request),
    });
  }

  /** Reads the form of a POST that has no session yet (sign-in). */
  readForm(request: Request): Promise<URLSearchParams | null> {
    return readForm(request);
  }

  #flashCookies(ctx: UiCtx, outcome: Outcome): string[] {
    const secure = isHttps(ctx.request);
    if ("redirect" in outcome && outcome.flash !== undefined) {
      const sid = (outcome.session ?? ctx.session).sid;
      const value = this.flashes.seal(outcome.flash, sid, ctx.now);
      return [setCookie(FLASH_COOKIE, value, { maxAgeSeconds: FLASH_TTL_MS / 1000, secure })];
    }
    // Shown once: the page that read the flash deletes it, so a reload shows nothing.
    return readCookie(ctx.request.headers.get("cookie"), FLASH_COOKIE) === null
      ? []
      : [clearCookie(FLASH_COOKIE, secure)];
  }

  /** Turns an outcome into the response, with the flash and session cookies it needs. */
  respond(ctx: UiCtx, outcome: Outcome): Response {
    const cookies = this.#flashCookies(ctx, outcome);
    if ("page" in outcome) {
      return htmlResponse(outcome.page, {
        requestId: ctx.requestId,
        cookies,
        ...(outcome.status === undefined ? {} : { status: outcome.status }),
      });
    }
    if (outcome.session !== undefined)
      cookies.push(this.sessionCookie(outcome.session, ctx.request));
    return redirectResponse(outcome.redirect, { requestId: ctx.requestId, cookies });
  }

  /** The signed-in caller of a request, or null (no, forged or expired session). */
  async context(request: Request): Promise<UiCtx | null> {
    const now = this.now();
    const cookies = request.headers.get("cookie");
    const session = this.sessions.decode(readCookie(cookies, SESSION_COOKIE), now);
    if (session === null) return null;
    // A signed cookie is not enough: it must still be open (not signed out, key not revoked).
    const open = await this.deps.admin.companies.findOpenSession(
      sha256Hex(session.sid),
      new Date(now),
    );
    if (open === null) return null;
    const acting = await this.#company(session);
    if (acting === null) return null;
    const companies = acting.operator ? await loadCompanies(this.deps.admin) : [];
    return {
      request,
      requestId: this.deps.requestIds.of(request),
      now,
      session,
      company: acting.company,
      operator: acting.operator,
      header: {
        companyId: acting.company.id,
        companyName: acting.company.name,
        operator: acting.operator,
        companies,
        csrf: this.sessions.csrfToken(session),
      },
      flash: this.flashes.open(readCookie(cookies, FLASH_COOKIE), session.sid, now),
    };
  }

  /** docs/api.md#admin-api: a company key sees only its company; the operator acts on the one it picked. */
  async #company(session: UiSession): Promise<{ company: Company; operator: boolean } | null> {
    const companies = this.deps.admin.companies;
    if (session.owner !== "operator") {
      const company = await companies.getCompany(session.owner);
      return company === null ? null : { company, operator: false };
    }
    const picked =
      session.companyId === null ? null : await companies.getCompany(session.companyId);
    const company = picked ?? (await companies.getDefaultCompany());
    return company === null ? null : { company, operator: true };
  }

  toSignIn(request: Request): Response {
    return redirectResponse(SIGN_IN, { requestId: this.deps.requestIds.of(request) });
  }
}

async function readForm(request: Request): Promise<URLSearchParams | null> {
  const bytes = await readBodyLimited(request, MAX_FORM_BYTES);
  return bytes === "too_large" ? null : new URLSearchParams(new TextDecoder().decode(bytes));
}
