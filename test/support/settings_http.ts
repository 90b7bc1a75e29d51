/**
 * The settings page over plain HTTP (no browser): sign in, read the CSRF token, post forms
 * with chosen headers, to test what a browser would never send.
 */
import type { TestServer } from "./test_server.ts";

const FORM = "application/x-www-form-urlencoded";

/** Posts a form; redirects are not followed so their `Set-Cookie` can be read. */
export function postForm(
  t: TestServer,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${t.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, origin: t.url, "sec-fetch-site": "same-origin", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Gets a page with a cookie, without following redirects. */
export function getPage(t: TestServer, path: string, cookie = ""): Promise<Response> {
  return fetch(`${t.url}${path}`, { redirect: "manual", headers: cookie ? { cookie } : {} });
}

/** Signs in with `key` and answers the `name=value` of the session cookie. */
export async function sessionCookie(t: TestServer, key: string): Promise<string> {
  const res = await postForm(t, "/settings/sign-in", { adminKey: key });
  const setCookie = res.headers.get("set-cookie");
  if (res.status !== 303 || setCookie === null) throw new Error(`sign-in failed: ${res.status}`);
  return setCookie.split(";")[0]!;
}

/** The CSRF token the signed-in list page carries in its forms. */
export async function csrfToken(t: TestServer, cookie: string): Promise<string> {
  const html = await (await getPage(t, "/settings/integrations", cookie)).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (token === undefined) throw new Error("no CSRF token on the page");
  return token;
}
