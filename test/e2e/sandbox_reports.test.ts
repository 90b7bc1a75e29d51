/**
 * The sandbox's `delivered` reports are durable scheduled work: a report due before its
 * message is written still applies, and a server killed with SIGKILL while reports are pending
 * delivers them after a restart — each message once, with one `message.delivered`.
 */
import { afterAll, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backends, expectSentThenDelivered } from "../support/backends.ts";
import { type Instance, startInstance } from "../support/cluster.ts";
import { SEED, startTestServer } from "../support/test_server.ts";

for (const backend of await backends()) {
  describe(`sandbox reports on ${backend.name}`, () => {
    test("40 sends at once with an immediate report all end delivered, once", async () => {
      const t = await startTestServer(backend.env);
      try {
        const ch = await t.channel({
          type: "sms",
          address: "+5511933334444",
          config: { deliveredAfterMs: "0" },
        });
        const { token } = await t.token(ch.id);
        const sends = await Promise.all(Array.from({ length: 40 }, () => t.send(token, SEED.sms)));
        expect(sends.map((res) => res.status)).toEqual(Array(40).fill(200));
        await expectSentThenDelivered(
          t,
          ch.id,
          sends.map((res) => res.body.id as string),
        );
      } finally {
        await t.close();
      }
    }, 20_000);

    const dataDir = mkdtempSync(join(tmpdir(), "sendeasy-sandbox-kill-"));
    const started: Instance[] = [];
    afterAll(async () => {
      for (const instance of started) await instance.kill();
      rmSync(dataDir, { recursive: true, force: true });
    });
    const env = {
      ...backend.env,
      SENDEASY_DATA_DIR: dataDir,
      SENDEASY_SECRET_KEY: randomBytes(32).toString("base64"),
    };

    test("SIGKILL with reports pending: after a restart every message is delivered once", async () => {
      const first = await startInstance(env);
      started.push(first);
      const ch = (
        await first.admin("POST", "/channels", {
          type: "sms",
          provider: "sandbox",
          name: "kill",
          address: "+5511933334444",
          config: { deliveredAfterMs: "1500" },
        })
      ).body;
      const app = (
        await first.admin("POST", "/integrations", {
          kind: "custom",
          name: "app",
          channelId: ch.id,
        })
      ).body;
      const sends = await Promise.all(
        Array.from({ length: 30 }, () => first.send(app.token, SEED.sms)),
      );
      expect(sends.map((res) => res.status)).toEqual(Array(30).fill(200));
      await first.kill();

      const second = await startInstance(env);
      started.push(second);
      await expectSentThenDelivered(
        second,
        ch.id,
        sends.map((res) => res.body.id as string),
        10_000,
      );
    }, 30_000);
  });
}
