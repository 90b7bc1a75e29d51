/**
 * The sandbox's owed reports, found in the rows (README "The sandbox provider"): a sweep makes
 * those overdue by their channel's `deliveredAfterMs`, once, `failed` for the undeliverable
 * magic recipient; the rest wait. The clock is a fake one.
 */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SqliteStore } from "../../../adapters/store/sqlite/mod.ts";
import type { Channel, Message } from "../../../core/domain.ts";
import { createIdFactory } from "../../../core/ids.ts";
import { createLogger } from "../../../server/logger.ts";
import { SandboxReports } from "../../../server/services/sandbox_reports.ts";
import { WebhookDirectory } from "../../../server/services/webhook_directory.ts";
import { makeSqliteHarness } from "../../support/sqlite_harness.ts";

const T0 = Date.UTC(2025, 0, 1);
let now = T0;
const clock = { now: () => now };
let dir: string;
let store: SqliteStore;
let cleanup: () => Promise<void>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "sendeasy-sandbox-reports-"));
  const harness = await makeSqliteHarness(dir, { writer: "inline" });
  store = harness.store;
  cleanup = harness.cleanup;
  now = T0;
});
afterEach(async () => {
  await cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function reports(): SandboxReports {
  return new SandboxReports({
    channels: store.channels,
    messages: store.messages,
    webhooks: new WebhookDirectory(store.integrations),
    ids: createIdFactory(clock, (n) => crypto.getRandomValues(new Uint8Array(n))),
    clock,
    logger: createLogger("silent"),
    findChannel: (id) => store.channels.findChannelById(id),
  });
}

async function sandboxChannel(deliveredAfterMs: number): Promise<Channel> {
  const channel: Channel = {
    id: `ch_${deliveredAfterMs}`,
    companyId: "co_1",
    type: "sms",
    provider: "sandbox",
    name: "sandbox",
    address: "+15550001111",
    config: { deliveredAfterMs },
    credits: null,
    createdAt: new Date(T0),
    deletedAt: null,
  };
  await store.channels.createChannel(channel);
  return channel;
}

async function sent(channel: Channel, id: string, to: string, createdAt: number): Promise<void> {
  const at = new Date(createdAt);
  const message: Message = {
    id,
    companyId: channel.companyId,
    channelId: channel.id,
    channelType: "sms",
    direction: "outbound",
    integrationId: "int_1",
    status: "sent",
    provider: "sandbox",
    providerMessageId: `sbx_${id}`,
    to: [to],
    from: channel.address,
    payload: { to, body: "hi" },
    segments: 1,
    credits: 1,
    error: null,
    history: [{ status: "sent", at }],
    createdAt: at,
    updatedAt: at,
  };
  await store.messages.saveMessage(message, []);
}

test("a sweep makes the reports overdue by their channel's delay, once; the others wait", async () => {
  await store.companies.createCompany({ id: "co_1", name: "Acme", createdAt: new Date(T0) });
  const quick = await sandboxChannel(50);
  const slow = await sandboxChannel(60_000);
  await sent(quick, "msg_1", "+5511999999999", T0);
  await sent(quick, "msg_2", "+15005550004", T0); // undeliverable
  await sent(slow, "msg_3", "+5511999999999", T0);
  await sent(quick, "msg_4", "+5511999999999", T0 + 4_900); // due, not yet overdue
  now = T0 + 5_000;
  const sweeper = reports();
  expect(await sweeper.sweep()).toBe(2);
  const status = async (id: string) => (await store.messages.getMessage("co_1", id))?.status;
  expect(await status("msg_1")).toBe("delivered");
  const failed = await store.messages.getMessage("co_1", "msg_2");
  expect(failed?.status).toBe("failed");
  expect(failed?.error?.code).toBe("undeliverable");
  expect(await status("msg_3")).toBe("sent");
  expect(await status("msg_4")).toBe("sent");
  expect(await sweeper.sweep()).toBe(0);

  now = T0 + 61_000;
  expect(await sweeper.sweep()).toBe(2);
  expect(await status("msg_3")).toBe("delivered");
  expect(await status("msg_4")).toBe("delivered");
  // The report on time (from memory) after the sweep made it: no news, history unchanged.
  const before = await store.messages.getMessage("co_1", "msg_1");
  await sweeper.report({
    companyId: "co_1",
    channelId: quick.id,
    messageId: "msg_1",
    providerMessageId: "sbx_msg_1",
    status: "delivered",
    channel: quick,
  });
  expect(await store.messages.getMessage("co_1", "msg_1")).toEqual(before);
});
