/**
 * Admin key rotation and sign-out take effect on every instance at once: with Redis, and on
 * Postgres alone (keys and sessions are read from the database on every request).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import {
  clusterEnv,
  createTestDatabase,
  describeCluster,
  type Instance,
  startInstance,
} from "../support/cluster.ts";
import { OPERATOR_KEY } from "../support/test_server.ts";

const FORM = "application/x-www-form-urlencoded";

async function adminAs(instance: Instance, key: string, method: string, path: string) {
  const res = await fetch(`${instance.url}/api/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${key}` },
  });
  const text = await res.text();
  return { status: res.status, body: text === "" ? null : JSON.parse(text) };
}

async function signIn(instance: Instance, key: string): Promise<string> {
  const res = await fetch(`${instance.url}/settings/sign-in`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, origin: instance.url },
    body: new URLSearchParams({ adminKey: key }).toString(),
  });
  const cookie = res.headers.get("set-cookie")?.split(";")[0];
  if (res.status !== 303 || cookie === undefined) throw new Error(`sign-in failed: ${res.status}`);
  return cookie;
}

const page = (instance: Instance, cookie: string) =>
  fetch(`${instance.url}/settings/integrations`, { redirect: "manual", headers: { cookie } });

async function signOut(instance: Instance, cookie: string): Promise<void> {
  const html = await (await page(instance, cookie)).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
  const res = await fetch(`${instance.url}/settings/sign-out`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": FORM, origin: instance.url, cookie },
    body: new URLSearchParams({ csrf }).toString(),
  });
  expect(res.status).toBe(303);
}

for (const redis of [true, false]) {
  describeCluster(
    `admin keys on two instances (${redis ? "Postgres and Redis" : "Postgres alone"})`,
    () => {
      let db: Awaited<ReturnType<typeof createTestDatabase>>;
      let a: Instance;
      let b: Instance;
      beforeAll(async () => {
        db = await createTestDatabase();
        const env = await clusterEnv(db, redis ? {} : { REDIS_URL: "" });
        a = await startInstance(env);
        b = await startInstance(env);
      }, 30_000);
      afterAll(async () => {
        await Promise.allSettled([a?.kill(), b?.kill()]);
        await db?.drop();
      });

      test("a key rotated on one instance is refused on the other's next request", async () => {
        const created = await a.admin("POST", "/companies", { name: "Acme" });
        const { company, adminKey } = created.body;
        expect((await adminAs(b, adminKey, "GET", "/channels")).status).toBe(200);
        const rotated = await adminAs(
          a,
          OPERATOR_KEY,
          "POST",
          `/companies/${company.id}/keys/rotate`,
        );
        expect(rotated.status).toBe(200);
        expect((await adminAs(b, adminKey, "GET", "/channels")).status).toBe(401);
        expect((await adminAs(b, rotated.body.adminKey, "GET", "/channels")).status).toBe(200);

        const self = await adminAs(b, rotated.body.adminKey, "POST", "/keys/rotate");
        expect(self.status).toBe(200);
        expect((await adminAs(a, rotated.body.adminKey, "GET", "/channels")).status).toBe(401);
      });

      test("a session signed out, or whose key was rotated, on one instance ends on the other", async () => {
        const cookie = await signIn(a, OPERATOR_KEY);
        expect((await page(b, cookie)).status).toBe(200);
        await signOut(a, cookie);
        expect((await page(b, cookie)).status).toBe(303);

        const created = await a.admin("POST", "/companies", { name: "Paged" });
        const companyCookie = await signIn(b, created.body.adminKey);
        expect((await page(a, companyCookie)).status).toBe(200);
        await adminAs(b, OPERATOR_KEY, "POST", `/companies/${created.body.company.id}/keys/rotate`);
        expect((await page(a, companyCookie)).status).toBe(303);
      });
    },
  );
}
