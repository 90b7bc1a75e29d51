/**
 * Starts a real server on 127.0.0.1 with a fresh data dir, and small admin helpers over HTTP.
 */

import type { Database } from "bun:sqlite";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SqliteStore } from "../../adapters/store/sqlite/mod.ts";
import { type RunningServer, type StartOptions, startServer } from "../../server/app.ts";

export const OPERATOR_KEY = "test-operator-key-0123456789abcdef";

export interface TestServer {
  server: RunningServer;
  /** The embedded SQLite connection, for tests that look under the hood. */
  db: Database;
  /** JSON log lines, when started with `captureLogs`. */
  logs: string[];
  /** The admin key the helpers use: the fixed operator key, or the one the server generated. */
  adminKey: string;
  url: string;
  dataDir: string;
  admin(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  channel(input: Record<string, unknown>): Promise<any>;
  token(channelId: string, extra?: Record<string, unknown>): Promise<{ id: string; token: string }>;
  send(
    token: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

/**
 * @param env extra environment
 * @param options.generateAdminKey start without SENDEASY_ADMIN_KEY, so the server generates one
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: { generateAdminKey?: boolean; captureLogs?: boolean; start?: StartOptions } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-test-"));
  const printed: string[] = [];
  const logs: string[] = [];
  const server = await startServer(
    {
      PORT: "0",
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_LOG_LEVEL: options.captureLogs ? "debug" : "silent",
      SENDEASY_PROVIDER_TIMEOUT_MS: "1000",
      ...(options.generateAdminKey ? {} : { SENDEASY_ADMIN_KEY: OPERATOR_KEY }),
      ...env,
    },
    { print: (line) => printed.push(line), logWrite: (line) => logs.push(line), ...options.start },
  );
  const adminKey = options.generateAdminKey ? (printed[0]?.split(": ").pop() ?? "") : OPERATOR_KEY;
  const url = server.url;
  const call = async (
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ) => {
    const res = await fetch(url + path, {
      method,
      headers: { "content-type": "application/json", ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text === "" ? null : JSON.parse(text),
      headers: res.headers,
    };
  };
  const admin: TestServer["admin"] = (method, path, body, headers = {}) =>
    call(method, `/api/admin${path}`, body, { authorization: `Bearer ${adminKey}`, ...headers });
  return {
    server,
    db: (server.store as SqliteStore).database,
    logs,
    adminKey,
    url,
    dataDir,
    admin,
    async channel(input) {
      const res = await admin("POST", "/channels", { provider: "sandbox", name: "test", ...input });
      if (res.status !== 201) throw new Error(`channel create failed: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async token(channelId, extra = {}) {
      const res = await admin("POST", "/integrations", {
        kind: "custom",
        name: "app",
        channelId,
        ...extra,
      });
      if (res.status !== 201) throw new Error(`token create failed: ${JSON.stringify(res.body)}`);
      return { id: res.body.integration.id, token: res.body.token };
    },
    send: (token, body, headers = {}) =>
      call("POST", "/api/integration/generic", body, {
        authorization: `Bearer ${token}`,
        ...headers,
      }),
    async close() {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The seed's three curl bodies (seed/000_…txt), exactly as written. */
export const SEED = {
  whatsapp: {
    name: "WhatsApp Lead",
    number: "5511999999999",
    message: "I want to talk to sales",
    email: "lead@company.com",
    url: "https://landing.com/?utm_source=meta",
    files: ["https://landing.com/deck.pdf"],
    sector: "12",
  },
  email: {
    to: ["customer@company.com"],
    subject: "Order confirmation",
    html: "<p>Thanks for your purchase!</p>",
    bcc: ["archive@company.com"],
  },
  sms: { to: "+5511999999999", body: "Your code: 123456" },
} as const;

export const ADDRESSES = {
  whatsapp: "+5511911112222",
  email: "orders@shop.example",
  sms: "+5511933334444",
} as const;

export function waitFor<T>(
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 3000,
): Promise<T> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = async () => {
      const value = await check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - started > timeoutMs) return reject(new Error("waitFor timed out"));
      setTimeout(tick, 20);
    };
    void tick();
  });
}

/** A port that was free a moment ago on 127.0.0.1 (for servers that must restart on the same port). */
export function freePort(): number {
  const probe = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
  const port = probe.port ?? 0;
  probe.stop(true);
  return port;
}
