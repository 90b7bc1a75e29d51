/**
 * Every Resend fault reaches the caller with a code, whatever the error answer looked like.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { ResendFake } from "../../support/fakes/resend_fake.ts";
import { startProviderServer } from "../../support/provider_server.ts";
import type { TestServer } from "../../support/test_server.ts";

const API_KEY = "re_test_0123456789";
let t: TestServer;
let fake: ResendFake;
let token: string;
beforeAll(async () => {
  fake = new ResendFake(API_KEY);
  t = await startProviderServer();
  const channel = await t.channel({
    type: "email",
    provider: "resend",
    address: "orders@shop.example",
    config: { apiKey: API_KEY, baseUrl: fake.url },
  });
  token = (await t.token(channel.id)).token;
});
afterAll(async () => {
  await t.close();
  await fake.stop();
});

const email = { to: "customer@company.com", subject: "Hi", html: "<p>Hi</p>" };

test.each([
  ["a JSON error without a name", { status: 500, json: { message: "boom" } }],
  ["a JSON array", { status: 422, json: [] }],
  ["JSON null", { status: 400, json: null }],
  ["a name that is not a string", { status: 400, json: { name: 42, message: "odd" } }],
  ["an empty body", { status: 503, text: "" }],
])("%s answers 502 with a provider code", async (_, answer) => {
  fake.answerNext(answer);
  const res = await t.send(token, email);
  expect(res.status).toBe(502);
  expect(res.body.provider).toEqual({
    name: "resend",
    code: expect.stringMatching(/^[a-z_0-9]+$/),
    message: expect.any(String),
  });
});
