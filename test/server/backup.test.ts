/**
 * `sendeasy backup` / `sendeasy restore` as an operator runs them, in their own processes:
 * a backup taken while sends keep landing is consistent and checked, restores only into an
 * empty data dir, and a server started on the restore opens the sealed credentials and lists
 * the messages. With Postgres the command points to pg_dump; with the key outside the data
 * dir it warns.
 */

import { Database } from "bun:sqlite";
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startServer } from "../../server/app.ts";
import {
  ADDRESSES,
  OPERATOR_KEY,
  SEED,
  startTestServer,
  type TestServer,
} from "../support/test_server.ts";

const main = join(import.meta.dir, "../../cli/main.ts");
const work = mkdtempSync(join(tmpdir(), "sendeasy-backup-"));
let t: TestServer;
afterAll(async () => {
  await t?.close();
  rmSync(work, { recursive: true, force: true });
});
beforeAll(async () => {
  t = await startTestServer();
});

async function sendeasy(env: Record<string, string>, ...args: string[]) {
  const child = Bun.spawn(["bun", main, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

test("a backup under a send load restores into an empty dir and serves it, secrets and all", async () => {
  const sms = await t.channel({ type: "sms", address: ADDRESSES.sms });
  // Not rate limited: the load lasts as long as the backup does, however slow the machine.
  const { token } = await t.token(sms.id, { rateLimit: { perSecond: 10_000, burst: 10_000 } });
  const twilio = await t.channel({
    type: "sms",
    provider: "twilio",
    address: "+15550001234",
    config: { accountSid: "AC0123456789", authToken: "twilio-auth-token-kept-sealed" },
  });
  // Four senders keep sending until the backup is done.
  let accepted = 0;
  let stop = false;
  const notAccepted: number[] = [];
  const load = Array.from({ length: 4 }, async () => {
    while (!stop) {
      // A send that fails outright (-1) is reported with the others, not thrown mid-test.
      const status = await t.send(token, SEED.sms).then(
        (res) => res.status,
        () => -1,
      );
      if (status === 200) accepted++;
      else notAccepted.push(status);
    }
  });
  const file = join(work, "sendeasy.backup");
  let acceptedBefore = 0;
  let backup: Awaited<ReturnType<typeof sendeasy>>;
  try {
    while (accepted < 20 && notAccepted.length === 0) await Bun.sleep(5);
    acceptedBefore = accepted;
    backup = await sendeasy({ SENDEASY_DATA_DIR: t.dataDir }, "backup", "--out", file);
  } finally {
    stop = true;
    await Promise.all(load);
  }
  expect(notAccepted).toEqual([]);
  expect(backup).toMatchObject({ code: 0, stderr: "" });
  expect(accepted).toBeGreaterThan(acceptedBefore); // sends kept landing while it ran
  expect(backup.stdout).toContain("integrity ok, with the secret key");
  expect(statSync(file).mode & 0o777).toBe(0o600);

  // Consistent: the sends acknowledged before it started are in it, each with its event.
  const copy = new Database(file, { readonly: true });
  const count = (sql: string) => (copy.query(sql).get() as { n: number }).n;
  const inCopy = count("SELECT COUNT(*) AS n FROM messages");
  expect(inCopy).toBeGreaterThanOrEqual(acceptedBefore);
  expect(
    count("SELECT COUNT(DISTINCT message_id) AS n FROM events WHERE type = 'message.sent'"),
  ).toBe(inCopy);
  copy.close();

  const busy = mkdtempSync(join(work, "busy-"));
  writeFileSync(join(busy, "notes.txt"), "not empty");
  const refused = await sendeasy({ SENDEASY_DATA_DIR: busy }, "restore", file);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("is not empty");

  const fresh = join(work, "restored");
  const restored = await sendeasy({ SENDEASY_DATA_DIR: fresh }, "restore", file);
  expect(restored).toMatchObject({ code: 0, stderr: "" });
  expect(statSync(join(fresh, "secret.key")).mode & 0o777).toBe(0o600);

  const server = await startServer(
    {
      PORT: "0",
      HOST: "127.0.0.1",
      SENDEASY_DATA_DIR: fresh,
      SENDEASY_ADMIN_KEY: OPERATOR_KEY,
      SENDEASY_LOG_LEVEL: "silent",
    },
    { print: () => undefined },
  );
  try {
    const opened = await server.store.channels.findChannelById(twilio.id);
    expect(opened?.config.authToken).toBe("twilio-auth-token-kept-sealed");
    const res = await fetch(`${server.url}/api/admin/messages?channelId=${sms.id}&limit=100`, {
      headers: { authorization: `Bearer ${OPERATOR_KEY}` },
    });
    expect(res.status).toBe(200);
    const listed = (await res.json()) as { data: unknown[] };
    expect(listed.data.length).toBe(Math.min(inCopy, 100));
    // The restored server takes sends with the old token.
    const sent = await fetch(`${server.url}/api/integration/generic`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(SEED.sms),
    });
    expect(sent.status).toBe(200);
  } finally {
    await server.stop();
  }
});

test("the key outside the data dir: the backup says it is not in it", async () => {
  const file = join(work, "without-key.backup");
  const env = { SENDEASY_DATA_DIR: t.dataDir, SENDEASY_SECRET_KEY: "c2VjcmV0LWtleS1vdXRzaWRl" };
  const result = await sendeasy(env, "backup", "--out", file);
  expect(result.code).toBe(0);
  expect(result.stdout).toContain("WITHOUT the secret key");
  expect(result.stderr).toContain("warning: the secret key comes from SENDEASY_SECRET_KEY");
});

test("with Postgres, backup and restore point to pg_dump and do nothing", async () => {
  const env = { DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test", SENDEASY_DATA_DIR: work };
  for (const args of [
    ["backup", "--out", join(work, "pg.backup")],
    ["restore", "x"],
  ]) {
    const result = await sendeasy(env, ...args);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("pg_dump");
  }
});
