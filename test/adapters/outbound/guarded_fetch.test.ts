/**
 * The guarded fetch: every connection goes to an address the address check approved, under
 * the name the caller used (Host, TLS), each redirect is checked again, and no error names the
 * address a host resolved to.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkOutboundTarget,
  createGuardedFetch,
  OutboundRefusedError,
} from "../../../adapters/outbound/mod.ts";
import { freePort } from "../../support/test_server.ts";

// Names only this resolver knows: the system resolver cannot answer them, so a request that
// reaches a server through one of them went through the guard's own resolution.
const answers = new Map<string, string[]>();
const lookup = async (host: string): Promise<string[]> => answers.get(host) ?? [];
const seen: { host: string | null; path: string }[] = [];
let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const url = new URL(request.url);
      seen.push({ host: request.headers.get("host"), path: url.pathname });
      if (url.pathname === "/redirect") {
        return new Response(null, {
          status: 302,
          headers: { location: url.searchParams.get("to") ?? "/" },
        });
      }
      return new Response(`hello ${url.pathname}`);
    },
  });
  answers.set("app.test", ["127.0.0.1"]);
  answers.set("public.test", ["93.184.216.34"]);
  answers.set("mixed.test", ["93.184.216.34", "10.0.0.7"]);
});
afterAll(() => server.stop(true));

const open = createGuardedFetch({ allowPrivate: true, lookup });
const strict = createGuardedFetch({ allowPrivate: false, lookup });

describe("createGuardedFetch()", () => {
  test("connects to the approved address under the caller's name", async () => {
    seen.length = 0;
    const response = await open(`http://app.test:${server.port}/hi`);
    expect(await response.text()).toBe("hello /hi");
    expect(seen).toEqual([{ host: `app.test:${server.port}`, path: "/hi" }]);
  });

  test("refuses loopback, private and metadata hosts, literal or resolved, before connecting", async () => {
    seen.length = 0;
    for (const url of [
      `http://127.0.0.1:${server.port}/x`,
      `http://app.test:${server.port}/x`,
      "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/x",
      "http://mixed.test/x",
      "http://localhost/x",
    ]) {
      const error = await strict(url).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundRefusedError);
      expect((error as OutboundRefusedError).code).toBe("PRIVATE_ADDRESS");
    }
    expect(seen).toEqual([]);
  });

  test("refuses other schemes and credentials even when private hosts are allowed", async () => {
    for (const [url, code] of [
      ["file:///etc/passwd", "UNSAFE_SCHEME"],
      [`http://user:pw@app.test:${server.port}/`, "CREDENTIALS_IN_URL"],
      ["http://nowhere.test/", "UNRESOLVABLE"],
    ] as const) {
      const error = await open(url).catch((e: unknown) => e);
      expect((error as OutboundRefusedError).code).toBe(code);
    }
  });

  test("a refusal names the host, never the address it resolved to", async () => {
    answers.set("rebound.test", ["10.20.30.40"]);
    const error = (await strict("http://rebound.test/x").catch((e: unknown) => e)) as Error;
    expect(error.message).toContain("rebound.test");
    expect(error.message).not.toContain("10.20.30.40");
  });

  test("a connection failure names the host and the failure, never the address", async () => {
    answers.set("closed.test", ["127.0.0.1"]);
    const error = (await open(`http://closed.test:${freePort()}/`).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toContain("closed.test");
    expect(error.message).toContain("connection refused");
    expect(error.message).not.toContain("127.0.0.1");
  });

  test("a GET follows redirects, each target checked like the first", async () => {
    seen.length = 0;
    const to = encodeURIComponent(`http://app.test:${server.port}/after`);
    const response = await open(`http://app.test:${server.port}/redirect?to=${to}`);
    expect(await response.text()).toBe("hello /after");
    expect(seen.map((s) => s.path)).toEqual(["/redirect", "/after"]);
    for (const target of ["http://nowhere.test/", "file:///etc/passwd"]) {
      const error = await open(
        `http://app.test:${server.port}/redirect?to=${encodeURIComponent(target)}`,
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OutboundRefusedError);
    }
  });

  test("a POST, or redirect: manual, gets the redirect itself", async () => {
    const url = `http://app.test:${server.port}/redirect?to=%2Fafter`;
    expect((await open(url, { method: "POST", body: "x" })).status).toBe(302);
    expect((await open(url, { redirect: "manual" })).status).toBe(302);
  });
});

describe("createGuardedFetch() over TLS", () => {
  let dir: string;
  let tlsServer: ReturnType<typeof Bun.serve>;
  let ca: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "sendeasy-tls-"));
    const made = Bun.spawnSync([
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
      "-subj",
      "/CN=secure.test",
      "-addext",
      "subjectAltName=DNS:secure.test",
    ]);
    if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
    ca = readFileSync(join(dir, "cert.pem"), "utf8");
    tlsServer = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      tls: { cert: Bun.file(join(dir, "cert.pem")), key: Bun.file(join(dir, "key.pem")) },
      fetch: (request) => new Response(`tls ${request.headers.get("host")}`),
    });
    answers.set("secure.test", ["127.0.0.1"]);
    answers.set("impostor.test", ["127.0.0.1"]);
  });
  afterAll(() => {
    tlsServer.stop(true);
    rmSync(dir, { recursive: true, force: true });
  });

  test("verifies the certificate against the name, not the pinned address", async () => {
    const init = { tls: { ca } } as RequestInit;
    const ok = await open(`https://secure.test:${tlsServer.port}/`, init);
    expect(await ok.text()).toBe(`tls secure.test:${tlsServer.port}`);
    const error = (await open(`https://impostor.test:${tlsServer.port}/`, init).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toContain("certificate not trusted");
    expect(error.message).not.toContain("127.0.0.1");
  });
});

describe("checkOutboundTarget()", () => {
  test("answers the parsed URL and the address to connect to", async () => {
    const target = await checkOutboundTarget("https://public.test/a", {
      allowPrivate: false,
      lookup,
    });
    expect(target).toMatchObject({ ok: true, address: "93.184.216.34" });
  });
});
