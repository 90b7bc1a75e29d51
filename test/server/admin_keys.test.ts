/**
 * Admin keys can be rotated and revoked: the operator rotates a company's key, a key rotates
 * itself, the old key is refused on the very next request, and the settings-page sessions
 * opened with it end with it; signing out ends a session (its cookie no longer works). The
 * operator key generated at first start stops working once `SENDEASY_ADMIN_KEY` is set.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../server/app.ts";
import { csrfToken, getPage, postForm, sessionCookie } from "../support/settings_http.ts";
import { OPERATOR_KEY, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

async function asKey(
  key: string,
  method: string,
  path: string,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${t.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

async function newCompany(name: string): Promise<{ id: string; key: string }> {
  const res = await t.admin("POST", "/companies", { name });
  return { id: res.body.company.id, key: res.body.adminKey };
}

describe("rotation through the admin API", () => {
  test("the operator rotates a company's key: shown once, the old one refused at once", async () => {
    const co = await newCompany("Acme");
    expect((await asKey(co.key, "GET", "/channels")).status).toBe(200);
    const rotated = await t.admin("POST", `/companies/${co.id}/keys/rotate`);
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body)).toEqual(["adminKey"]);
    expect(rotated.body.adminKey).toMatch(/^sk_[0-9A-Za-z]{43,}$/);
    expect((await asKey(co.key, "GET", "/channels")).status).toBe(401);
    const fresh = await asKey(rotated.body.adminKey, "GET", "/channels");
    expect(fresh.status).toBe(200);
    expect(
      (await t.admin("GET", `/companies`)).body.data.some((c: { id: string }) => c.id === co.id),
    ).toBe(true);
  });

  test("a company key rotates itself; it may not rotate another company's", async () => {
    const co = await newCompany("Self");
    const other = await newCompany("Other");
    const refused = await asKey(co.key, "POST", `/companies/${other.id}/keys/rotate`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toBe("FORBIDDEN");
    expect((await asKey(other.key, "GET", "/channels")).status).toBe(200);

    const rotated = await asKey(co.key, "POST", "/keys/rotate");
    expect(rotated.status).toBe(200);
    expect((await asKey(co.key, "GET", "/channels")).status).toBe(401);
    expect((await asKey(co.key, "POST", "/keys/rotate")).status).toBe(401);
    expect((await asKey(rotated.body.adminKey, "GET", "/channels")).status).toBe(200);
  });

  test("an unknown company answers 404; SENDEASY_ADMIN_KEY cannot rotate itself (409)", async () => {
    expect((await t.admin("POST", "/companies/co_unknown/keys/rotate")).status).toBe(404);
    const own = await t.admin("POST", "/keys/rotate");
    expect(own.status).toBe(409);
    expect(own.body.message).toContain("SENDEASY_ADMIN_KEY");
    expect((await t.admin("GET", "/channels")).status).toBe(200);
  });
});

describe("settings-page sessions", () => {
  test("signing out ends the session: its cookie no longer works", async () => {
    const cookie = await sessionCookie(t, OPERATOR_KEY);
    expect((await getPage(t, "/settings/integrations", cookie)).status).toBe(200);
    const csrf = await csrfToken(t, cookie);
    const out = await postForm(t, "/settings/sign-out", { csrf }, { cookie });
    expect(out.status).toBe(303);
    const after = await getPage(t, "/settings/integrations", cookie);
    expect(after.status).toBe(303);
    expect(after.headers.get("location")).toBe("/settings/sign-in");
  });

  test("rotating the key a session was opened with ends that session, and only that one", async () => {
    const co = await newCompany("Paged");
    const byCompany = await sessionCookie(t, co.key);
    const byOperator = await sessionCookie(t, OPERATOR_KEY);
    expect((await getPage(t, "/settings/integrations", byCompany)).status).toBe(200);
    expect((await t.admin("POST", `/companies/${co.id}/keys/rotate`)).status).toBe(200);
    expect((await getPage(t, "/settings/integrations", byCompany)).status).toBe(303);
    expect((await getPage(t, "/settings/integrations", byOperator)).status).toBe(200);
  });
});

describe("the operator key generated at first start", () => {
  test("rotates itself, and stops working once SENDEASY_ADMIN_KEY is set", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-keys-"));
    const env = {
      PORT: "0",
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_LOG_LEVEL: "silent",
    };
    const start = async (extra: Record<string, string> = {}) => {
      const printed: string[] = [];
      const server = await startServer(
        { ...env, ...extra },
        { print: (line) => printed.push(line), worker: false },
      );
      return { server, printed: printed.map((line) => line.split(": ").pop() ?? "") };
    };
    const call = (url: string, key: string, method = "GET", path = "/channels") =>
      fetch(`${url}/api/admin${path}`, { method, headers: { authorization: `Bearer ${key}` } });
    try {
      const first = await start();
      const generated = first.printed[0]!;
      expect(generated).toMatch(/^sk_/);
      const rotated = await (
        await call(first.server.url, generated, "POST", "/keys/rotate")
      ).json();
      expect((await call(first.server.url, generated)).status).toBe(401);
      const current = rotated.adminKey as string;
      expect((await call(first.server.url, current)).status).toBe(200);
      await first.server.stop();

      const second = await start({ SENDEASY_ADMIN_KEY: OPERATOR_KEY });
      expect(second.printed).toEqual([]);
      expect((await call(second.server.url, current)).status).toBe(401);
      expect((await call(second.server.url, OPERATOR_KEY)).status).toBe(200);
      await second.server.stop();

      // Back without SENDEASY_ADMIN_KEY: the retired key stays retired, a new one is printed.
      const third = await start();
      expect((await call(third.server.url, current)).status).toBe(401);
      const next = third.printed[0]!;
      expect(next).toMatch(/^sk_/);
      expect((await call(third.server.url, next)).status).toBe(200);
      await third.server.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
