import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import { ADDRESSES, startTestServer, type TestServer } from "../support/test_server.ts";

let t: TestServer;
const tokens: string[] = [];
beforeAll(async () => {
  t = await startTestServer();
  for (const type of ["whatsapp", "email", "sms"] as const) {
    const channel = await t.channel({ type, address: ADDRESSES[type] });
    tokens.push(
      (await t.token(channel.id, { rateLimit: { perSecond: 10_000, burst: 10_000 } })).token,
    );
  }
});
afterAll(() => t.close());

const fieldNames = [
  "number",
  "message",
  "to",
  "body",
  "subject",
  "html",
  "bcc",
  "files",
  "metadata",
  "channelType",
  "url",
  "__proto__",
  "constructor",
];
const bodyArb = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.dictionary(fc.constantFrom(...fieldNames), fc.jsonValue()).map((v) => JSON.stringify(v)),
  fc.string(),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => new TextDecoder("latin1").decode(bytes)),
);
const headerValueArb = fc.oneof(fc.constant(undefined), fc.stringMatching(/^[\x20-\x7e]{0,300}$/));

test("random bodies and headers never get a 5xx, and every 4xx has the error shape", async () => {
  await fc.assert(
    fc.asyncProperty(
      bodyArb,
      fc.nat({ max: 3 }),
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        undefined,
        "APPLICATION/JSON",
      ),
      headerValueArb,
      headerValueArb,
      async (body, tokenIndex, contentType, idempotencyKey, authorizationNoise) => {
        const authorization =
          tokenIndex < tokens.length ? `Bearer ${tokens[tokenIndex]}` : authorizationNoise;
        const headers: Record<string, string> = {};
        if (authorization !== undefined) headers.authorization = authorization;
        if (contentType !== undefined) headers["content-type"] = contentType;
        if (idempotencyKey !== undefined) headers["idempotency-key"] = idempotencyKey;
        const res = await fetch(`${t.url}/api/integration/generic`, {
          method: "POST",
          headers,
          body,
        });
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(res.headers.get("x-request-id")).toMatch(/^req_/);
        if (res.status >= 400) {
          const parsed = JSON.parse(text);
          expect(typeof parsed.error).toBe("string");
          expect(typeof parsed.message).toBe("string");
          expect(parsed.requestId).toBe(res.headers.get("x-request-id"));
          if (parsed.details !== undefined) {
            expect(parsed.details.length).toBeGreaterThan(0);
            for (const detail of parsed.details) {
              expect(typeof detail.path).toBe("string");
              expect(typeof detail.message).toBe("string");
            }
          }
        }
      },
    ),
    { numRuns: 300 },
  );
});
