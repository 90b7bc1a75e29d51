/**
 * Child process of the crash test: saves `count` messages concurrently into the store at
 * `path`, prints how many resolved, then dies by SIGKILL without closing anything.
 *
 * Usage: bun test/adapters/store/_crash_writer.ts <path> <count> <base64 key>
 */
import { SecretBox } from "../../../../adapters/crypto/secret_box.ts";
import { createSqliteStore } from "../../../../adapters/store/sqlite/mod.ts";

const [path, countText, key] = process.argv.slice(2);
if (path === undefined || countText === undefined || key === undefined) {
  throw new Error("usage: _crash_writer.ts <path> <count> <key>");
}
const count = Number(countText);
const store = createSqliteStore({ path, secretBox: await SecretBox.fromKey(key) });
const T = new Date(Date.UTC(2025, 0, 1));
await store.companies.createCompany({ id: "co_1", name: "Acme", createdAt: T });
await store.channels.createChannel({
  id: "ch_1",
  companyId: "co_1",
  type: "sms",
  provider: "sandbox",
  name: "Line",
  address: "+15550001111",
  config: {},
  credits: null,
  createdAt: T,
  deletedAt: null,
});
const ids = Array.from({ length: count }, (_, i) => `msg_${String(i).padStart(8, "0")}`);
let resolved = 0;
await Promise.all(
  ids.map((id) =>
    store.messages
      .saveMessage(
        {
          id,
          companyId: "co_1",
          channelId: "ch_1",
          channelType: "sms",
          direction: "outbound",
          integrationId: null,
          status: "sent",
          provider: "sandbox",
          providerMessageId: null,
          to: ["+15550002222"],
          from: "+15550001111",
          payload: { body: "hi" },
          segments: 1,
          credits: 1,
          error: null,
          history: [{ status: "sent", at: T }],
          createdAt: T,
          updatedAt: T,
        },
        [],
      )
      .then(() => resolved++),
  ),
);
process.stdout.write(`resolved ${resolved}\n`);
process.kill(process.pid, "SIGKILL");
