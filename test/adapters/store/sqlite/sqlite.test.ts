import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Channel, CustomIntegration, WebhookIntegration } from "../../../../core/domain.ts";
import { runAdminAccessContract } from "../../../contracts/admin_access_contract.ts";
import { runDeliveryContract } from "../../../contracts/delivery_contract.ts";
import { runExactlyOnceContract } from "../../../contracts/exactly_once_contract.ts";
import { runFairClaimContract } from "../../../contracts/fair_claim_contract.ts";
import { runMessageStateContract } from "../../../contracts/message_state_contract.ts";
import { runSendQueueContract } from "../../../contracts/send_queue_contract.ts";
import { runStoreContract } from "../../../contracts/store_contract.ts";
import { makeSqliteHarness } from "../../../support/sqlite_harness.ts";

const dir = mkdtempSync(join(tmpdir(), "sendeasy-sqlite-contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Both write executors: the writer thread (the default for a file) and inline.
runStoreContract("sqlite", () => makeSqliteHarness(dir));
runDeliveryContract("sqlite", () => makeSqliteHarness(dir));
runStoreContract("sqlite inline writer", () => makeSqliteHarness(dir, { writer: "inline" }));
runAdminAccessContract("sqlite", () => makeSqliteHarness(dir));
runFairClaimContract("sqlite", () => makeSqliteHarness(dir));
runDeliveryContract("sqlite inline writer", () => makeSqliteHarness(dir, { writer: "inline" }));
runMessageStateContract("sqlite", () => makeSqliteHarness(dir));
runExactlyOnceContract("sqlite", () => makeSqliteHarness(dir));
runSendQueueContract("sqlite", () => makeSqliteHarness(dir));

describe("sqlite secrets at rest", () => {
  const secrets = {
    authToken: "PLAINTEXT-twilio-auth-7f3a9c",
    bearer: "PLAINTEXT-bearer-91bd0e",
    rotatedBearer: "PLAINTEXT-bearer-rotated-55aa01",
    signing: "whsec_PLAINTEXT-signing-c0ffee",
    rotatedSigning: "whsec_PLAINTEXT-signing-rotated-beef42",
  };
  /** Not a secret: proves the byte search would find a stored string. */
  const visible = "VISIBLE-channel-name-3e8d";

  /** Every occurrence-free check runs on the main file, the WAL and the shared-memory file. */
  function fileBytes(path: string): string {
    // The WAL first: a checkpoint finishing between the two reads (the connection's close can
    // be deferred) moves pages into the main file before it deletes the WAL, never after.
    return ["-wal", "-shm", ""]
      .map((suffix) => path + suffix)
      .filter(existsSync)
      .map((file) => readFileSync(file).toString("latin1"))
      .join("\n");
  }

  test("no plaintext secret appears in the database file, its WAL or its -shm", async () => {
    const harness = await makeSqliteHarness(dir);
    const { store, path } = harness;
    const T = new Date(Date.UTC(2025, 0, 1));
    await store.companies.createCompany({ id: "co_1", name: "Acme", createdAt: T });
    const channel: Channel = {
      id: "ch_1",
      companyId: "co_1",
      type: "sms",
      provider: "twilio",
      name: visible,
      address: "+15550001111",
      config: { accountSid: "AC1", authToken: secrets.authToken },
      credits: null,
      createdAt: T,
      deletedAt: null,
    };
    await store.channels.createChannel(channel);
    const hook: WebhookIntegration = {
      id: "int_1",
      companyId: "co_1",
      name: "CRM",
      enabled: true,
      createdAt: T,
      updatedAt: T,
      kind: "webhook",
      scope: "general",
      channelId: null,
      url: "https://crm.example.com",
      bearerToken: secrets.bearer,
      events: null,
      disabledReason: null,
      signingSecrets: [{ secret: secrets.signing, createdAt: T, expiresAt: null }],
      failingSince: null,
    };
    await store.integrations.createWebhook(hook);
    const app: CustomIntegration = {
      id: "int_2",
      companyId: "co_1",
      name: "App",
      enabled: true,
      createdAt: T,
      updatedAt: T,
      kind: "custom",
      channelId: "ch_1",
      tokenPrefix: "Ab3dEf6h",
      tokenCreatedAt: T,
      rotatedAt: null,
      lastUsedAt: null,
      expiresAt: null,
      rateLimit: null,
    };
    const hash = "a".repeat(64);
    await store.integrations.createCustom(app, {
      hash,
      integrationId: "int_2",
      status: "active",
      createdAt: T,
      expiresAt: null,
    });
    await store.integrations.updateIntegration(
      "co_1",
      "int_1",
      { bearerToken: secrets.rotatedBearer },
      T,
    );
    await store.integrations.rotateSigningSecret(
      "co_1",
      "int_1",
      { secret: secrets.rotatedSigning, createdAt: T, expiresAt: null },
      new Date(T.getTime() + 86_400_000),
    );
    // The values round-trip, so they were stored somewhere…
    expect((await store.tokens.findTokenByHash(hash))?.channel?.config.authToken).toBe(
      secrets.authToken,
    );

    // …but never in clear: first while the WAL holds the pages, then after the checkpoint.
    const whileOpen = fileBytes(path);
    expect(whileOpen).toContain(visible);
    expect(whileOpen).toContain(hash);
    for (const secret of Object.values(secrets)) expect(whileOpen).not.toContain(secret);

    await store.close();
    const afterClose = fileBytes(path);
    expect(afterClose).toContain(visible);
    for (const secret of Object.values(secrets)) expect(afterClose).not.toContain(secret);
  });
});
