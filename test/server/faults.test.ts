import { afterAll, beforeAll, expect, test } from "bun:test";
import { ADDRESSES, SEED, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({}, { captureLogs: true });
});
afterAll(() => t.close());

test("log lines are JSON with the requestId, and never hold a token or a provider secret", async () => {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const { token, id } = await t.token(channel.id);
  const ok = await t.send(token, SEED.sms);
  const failed = await t.send(token, { to: "+15005550001", body: "x" });
  await t.admin("POST", `/integrations/${id}/rotate`);
  const refused = await t.send(token, SEED.sms);
  expect([ok.status, failed.status, refused.status]).toEqual([200, 502, 401]);

  const entries = t.logs.map((line) => JSON.parse(line));
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) {
    expect(typeof entry.time).toBe("string");
    expect(typeof entry.level).toBe("string");
  }
  // The refused send is logged with its reason for the operator, keyed by requestId.
  const refusal = entries.find((e) => e.requestId === refused.body.requestId);
  expect(refusal).toMatchObject({ msg: "send refused", reason: "rotated" });
  expect(entries.some((e) => e.requestId === failed.body.requestId)).toBe(true);
  const all = t.logs.join("\n");
  expect(all).not.toContain(token);
  expect(all).not.toContain(token.slice(3));
});

test("an unexpected fault answers 500 INTERNAL with a requestId and no internals", async () => {
  const channel = await t.channel({ type: "sms", address: ADDRESSES.sms });
  const { token } = await t.token(channel.id);
  expect((await t.send(token, SEED.sms)).status).toBe(200);
  // Break the database under the running server.
  t.db.exec("DROP TABLE events");
  const res = await t.send(token, SEED.sms);
  expect(res.status).toBe(500);
  expect(res.body.error).toBe("INTERNAL");
  expect(res.body.requestId).toMatch(/^req_/);
  expect(res.headers.get("x-request-id")).toBe(res.body.requestId);
  expect(JSON.stringify(res.body)).not.toMatch(/events|sqlite|stack|at /i);
  const logged = t.logs.map((l) => JSON.parse(l)).find((e) => e.requestId === res.body.requestId);
  expect(logged?.msg).toBe("unexpected fault");
});
