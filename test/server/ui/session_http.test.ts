/**
 * The settings page's session and forgery defences over plain HTTP: what the cookie is made
 * of, and POSTs a browser page of this site would never send.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { csrfToken, getPage, postForm, sessionCookie } from "../../support/settings_http.ts";
import {
  ADDRESSES,
  OPERATOR_KEY,
  startTestServer,
  type TestServer,
} from "../../support/test_server.ts";

let t: TestServer;
let smsChannel: string;

beforeAll(async () => {
  t = await startTestServer({ SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true" });
  smsChannel = (await t.channel({ type: "sms", address: ADDRESSES.sms, name: "SMS main" })).id;
});
afterAll(() => t.close());

const webhookForm = (name: string) => ({
  name,
  kind: "webhook",
  scope: "general",
  url: "http://127.0.0.1:9/hook",
});

async function integrationNames(): Promise<string[]> {
  const list = await t.admin("GET", "/integrations");
  return list.body.data.map((i: { name: string }) => i.name);
}

describe("the session cookie", () => {
  test("is HttpOnly, SameSite=Strict, scoped to /settings, and holds no admin key", async () => {
    const res = await postForm(t, "/settings/sign-in", { adminKey: OPERATOR_KEY });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/settings/integrations");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookie).toStartWith("sendeasy_session=v1.");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(cookie).toContain("Path=/settings");
    expect(cookie).not.toContain("Secure");
    expect(cookie).not.toContain(OPERATOR_KEY);
    const payload = cookie.split(";")[0]!.split(".")[1]!;
    expect(Buffer.from(payload, "base64url").toString()).not.toContain(OPERATOR_KEY);
  });

  test("is Secure when the request came over https (through a proxy)", async () => {
    const res = await postForm(
      t,
      "/settings/sign-in",
      { adminKey: OPERATOR_KEY },
      { "x-forwarded-proto": "https" },
    );
    expect(res.headers.get("set-cookie")).toContain("; Secure");
  });

  test("a wrong key answers 401 with the error and sets no cookie", async () => {
    const res = await postForm(t, "/settings/sign-in", { adminKey: "sk_wrong-wrong-wrong" });
    expect(res.status).toBe(401);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(await res.text()).toContain("That admin key is not valid");
  });

  test("a tampered or forged cookie is no session", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const [name, value] = cookie.split("=") as [string, string];
    const [version, payload, mac] = value.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const forged = Buffer.from(JSON.stringify({ ...claims, owner: "co_other" })).toString(
      "base64url",
    );
    for (const bad of [`${version}.${forged}.${mac}`, `${version}.${payload}.${mac}x`, "v1.."]) {
      const res = await getPage(t, "/settings/integrations", `${name}=${bad}`);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/settings/sign-in");
    }
  });

  test("sign-out clears the cookie", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const res = await postForm(
      t,
      "/settings/sign-out",
      { csrf: await csrfToken(t, cookie) },
      { cookie },
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("sendeasy_session=; Path=/settings; Max-Age=0");
  });
});

describe("cross-site request forgery", () => {
  test("a POST without the CSRF token is refused 403 and changes nothing", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const res = await postForm(t, "/settings/integrations", webhookForm("no token"), { cookie });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Request refused");
    expect(await integrationNames()).not.toContain("no token");
  });

  test("a POST with another session's CSRF token is refused 403", async () => {
    const mine = await sessionCookie(t, OPERATOR_KEY);
    const theirs = await csrfToken(t, await sessionCookie(t, OPERATOR_KEY));
    const form = { ...webhookForm("their token"), csrf: theirs };
    const res = await postForm(t, "/settings/integrations", form, { cookie: mine });
    expect(res.status).toBe(403);
    expect(await integrationNames()).not.toContain("their token");
  });

  test("a POST from a foreign Origin is refused 403 even with the right token", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const form = { ...webhookForm("foreign origin"), csrf: await csrfToken(t, cookie) };
    const foreign = { cookie, origin: "https://evil.example", "sec-fetch-site": "cross-site" };
    expect((await postForm(t, "/settings/integrations", form, foreign)).status).toBe(403);
    const originOnly = { cookie, origin: "https://evil.example" };
    const res = await postForm(t, "/settings/integrations", form, originOnly);
    expect(res.status).toBe(403);
    expect(await integrationNames()).not.toContain("foreign origin");
  });

  test("sign-in from another site is refused, so no one can sign you in with their key", async () => {
    const res = await postForm(
      t,
      "/settings/sign-in",
      { adminKey: OPERATOR_KEY },
      { origin: "https://evil.example", "sec-fetch-site": "cross-site" },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  test("the same POST from this site with the token goes through", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const form = { ...webhookForm("same site"), csrf: await csrfToken(t, cookie) };
    const res = await postForm(t, "/settings/integrations", form, { cookie });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/^\/settings\/integrations\/int_/);
    expect(await integrationNames()).toContain("same site");
  });
});

describe("companies and escaping", () => {
  test("a company key's session sees only its company", async () => {
    const created = await t.admin("POST", "/companies", { name: "Acme" });
    const acmeKey: string = created.body.adminKey;
    const acme = { authorization: `Bearer ${acmeKey}` };
    await t.admin("POST", "/integrations", { ...webhookForm("acme hook") }, acme);
    const page = await (
      await getPage(t, "/settings/integrations", await sessionCookie(t, acmeKey))
    ).text();
    expect(page).toContain("acme hook");
    expect(page).toContain("Acme");
    expect(page).not.toContain("same site");
    expect(page).not.toContain('id="company-picker"');
  });

  test("the operator can switch companies with the picker", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const companies = await t.admin("GET", "/companies");
    const acme = companies.body.data.find((c: { name: string }) => c.name === "Acme");
    const csrf = await csrfToken(t, cookie);
    const res = await postForm(t, "/settings/company", { companyId: acme.id, csrf }, { cookie });
    expect(res.status).toBe(303);
    const switched = res.headers.getSetCookie().find((c) => c.startsWith("sendeasy_session="))!;
    const page = await (await getPage(t, "/settings/integrations", switched.split(";")[0]!)).text();
    expect(page).toContain("acme hook");
    expect(page).not.toContain("same site");
  });

  test("names, URLs and channel names are escaped, and no inline script is allowed", async () => {
    const evil = '<img src=x onerror="alert(1)">';
    await t.channel({ type: "email", address: "evil@shop.example", name: evil });
    await t.admin("POST", "/integrations", {
      ...webhookForm(evil),
      url: "http://127.0.0.1:9/?a=<b>",
    });
    const res = await getPage(t, "/settings/integrations", await sessionCookie(t, OPERATOR_KEY));
    const page = await res.text();
    expect(page).not.toContain("<img");
    expect(page).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(page).not.toContain("?a=<b>");
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(res.headers.get("cache-control")).toBe("no-store");
    const form = await (
      await getPage(t, "/settings/integrations/new", await sessionCookie(t, OPERATOR_KEY))
    ).text();
    expect(form).toContain("&lt;img src=x");
    expect(form).not.toContain("<img");
  });

  test("the form re-renders with the API's own error when the URL is refused", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const form = {
      ...webhookForm("bad url"),
      url: "ftp://example.com/hook",
      csrf: await csrfToken(t, cookie),
    };
    const res = await postForm(t, "/settings/integrations", form, { cookie });
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain("The integration was not created");
    expect(page).toContain('aria-invalid="true"');
    expect(await integrationNames()).not.toContain("bad url");
  });

  test("an instance of another type than the one chosen is refused (no JavaScript needed)", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    const form = {
      ...webhookForm("wrong type"),
      scope: "channel",
      type: "email",
      channelId: smsChannel,
      csrf: await csrfToken(t, cookie),
    };
    const res = await postForm(t, "/settings/integrations", form, { cookie });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("is a SMS channel, not Email");
    expect(await integrationNames()).not.toContain("wrong type");
  });
});
