/**
 * A real Sendeasy server for provider tests: a public URL that is not where it listens (as
 * behind a proxy, so callback signatures must use the public URL), a short provider timeout,
 * and helpers to read messages and their events back.
 */
import { startTestServer, type TestServer } from "./test_server.ts";

/** `SENDEASY_PUBLIC_URL` of the provider tests: what providers sign and call back. */
export const PUBLIC_URL = "https://sendeasy.example.test";
/** `SENDEASY_PROVIDER_TIMEOUT_MS` of the provider tests. */
export const PROVIDER_TIMEOUT_MS = 400;

export function startProviderServer(): Promise<TestServer> {
  return startTestServer({
    SENDEASY_PUBLIC_URL: PUBLIC_URL,
    SENDEASY_PROVIDER_TIMEOUT_MS: String(PROVIDER_TIMEOUT_MS),
    // The providers' fakes listen on 127.0.0.1: their `baseUrl` must pass the address check.
    SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
  });
}

/** The newest message of a channel, as the admin API shows it. */
export async function newestMessage(t: TestServer, channelId: string): Promise<any> {
  const res = await t.admin("GET", `/messages?channelId=${channelId}&limit=1`);
  return res.body.data[0];
}

/** A message as the admin API shows it. */
export async function message(t: TestServer, id: string): Promise<any> {
  return (await t.admin("GET", `/messages/${id}`)).body;
}

/** The types of the events stored about a message, oldest first. */
export function eventTypes(t: TestServer, messageId: string): string[] {
  return t.db
    .query<{ type: string }, [string]>("SELECT type FROM events WHERE message_id = ? ORDER BY id")
    .all(messageId)
    .map((row) => row.type);
}

/** The count of all messages of a channel. */
export async function messageCount(t: TestServer, channelId: string): Promise<number> {
  const res = await t.admin("GET", `/messages?channelId=${channelId}&limit=100`);
  return res.body.data.length;
}

/** Posts a callback to the server as a provider would (the server sees its local URL). */
export async function postHook(
  t: TestServer,
  path: string,
  init: { body: string; headers: Record<string, string> },
): Promise<{ status: number; text: string; headers: Headers }> {
  const res = await fetch(t.url + path, { method: "POST", ...init });
  return { status: res.status, text: await res.text(), headers: res.headers };
}
