/**
 * Raw HTTP requests of every shape, written to a real socket: any method, target, Host (none,
 * empty, malformed), headers and body (any size, length-framed or chunked). Whatever comes,
 * the server answers below 500, every answer carries a request id, and every error outside the
 * settings page (whose errors are pages for a person) has the JSON error shape.
 *
 * Requests Bun's own HTTP parser refuses before any of our code runs (a head that is not
 * HTTP/1.x, an unknown method, HTTP/1.1 without any Host) are out of reach of the server and
 * not generated.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import fc from "fast-check";
import {
  ADDRESSES,
  OPERATOR_KEY,
  startTestServer,
  type TestServer,
} from "../support/test_server.ts";
import { type RawAnswer, type RawRequest, rawRequest } from "./_raw_http.ts";

let t: TestServer;
const secrets: string[] = [];
const ids: string[] = [];
beforeAll(async () => {
  t = await startTestServer();
  const company = await t.admin("POST", "/companies", { name: "Fuzzed" });
  secrets.push(OPERATOR_KEY, company.body.adminKey);
  for (const type of ["whatsapp", "email", "sms"] as const) {
    const channel = await t.channel({ type, address: ADDRESSES[type] });
    ids.push(channel.id);
    const { id, token } = await t.token(channel.id, {
      rateLimit: { perSecond: 10_000, burst: 10_000 },
    });
    ids.push(id);
    secrets.push(token);
  }
});
afterAll(() => t.close());

const ROUTES = [
  "/api/integration/generic",
  "/api/integration/sms",
  "/api/integration/generic/sms",
  "/api/admin/channels",
  "/api/admin/channels/{id}",
  "/api/admin/channels/{id}/simulate-inbound",
  "/api/admin/integrations",
  "/api/admin/integrations/{id}",
  "/api/admin/integrations/{id}/rotate",
  "/api/admin/companies",
  "/api/admin/companies/{id}/keys/rotate",
  "/api/admin/keys/rotate",
  "/api/admin/messages",
  "/api/admin/events",
  "/api/admin/deliveries",
  "/api/admin/suppressions",
  "/api/admin/suppressions/{id}",
  "/hooks/twilio/{id}",
  "/hooks/resend/{id}",
  "/hooks/meta/{id}",
  "/hooks/sandbox/{id}",
  "/settings",
  "/settings/sign-in",
  "/settings/sign-out",
  "/settings/company",
  "/settings/integrations",
  "/settings/integrations/new",
  "/settings/integrations/{id}",
  "/settings/integrations/{id}/rotate",
  "/settings/assets/app.js",
  "/settings/assets/{id}",
  "/docs",
  "/docs/json",
  "/health",
  "/ready",
  "/",
  "/nope",
];

// RFC 3986 pchar, plus broken percent-encodings and a few characters parsers disagree about.
const segmentArb = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=:@]{0,24}$/),
  fc.constantFrom("%", "%zz", "%E0%A4%A", "%00", "%2e%2e", "..", "%C0%AF", "%ff%fe", "a%2Fb"),
);
const queryArb = fc.oneof(
  fc.constant(""),
  fc.stringMatching(/^[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]{0,60}$/).map((q) => `?${q}`),
  fc.constantFrom(
    "?cursor=%ZZ",
    "?limit=-1",
    "?limit=1e309",
    "?hub.mode=subscribe&hub.challenge=",
    "?kind=__proto__",
  ),
);
const targetArb = fc
  .tuple(
    fc.constantFrom(...ROUTES),
    fc.constantFrom(...["ch_x", "int_x", "co_x", "%", ""]),
    fc.option(segmentArb),
    queryArb,
  )
  .chain(([route, fake, extra, query]) =>
    fc
      .constantFrom(...ids, fake)
      .map((id) => `${route.replace("{id}", id)}${extra === null ? "" : `/${extra}`}${query}`),
  );

// Every method Bun's parser knows (it drops a connection with any other before our code runs).
const methodArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom("GET", "POST", "PATCH", "DELETE", "PUT", "HEAD", "OPTIONS"),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      ...["TRACE", "COPY", "LOCK", "MKCOL", "MOVE", "PROPFIND", "PROPPATCH", "SEARCH", "UNLOCK"],
      ...["BIND", "REBIND", "UNBIND", "ACL", "REPORT", "MKACTIVITY", "CHECKOUT", "MERGE"],
      ...[
        "M-SEARCH",
        "NOTIFY",
        "SUBSCRIBE",
        "UNSUBSCRIBE",
        "PURGE",
        "MKCALENDAR",
        "LINK",
        "UNLINK",
      ],
      ...["SOURCE", "QUERY"],
    ),
  },
);

// Field values: visible ASCII, space, tab, and bytes above 0x7f (obs-text).
const valueArb = fc.oneof(
  fc.stringMatching(/^[\x21-\x7e][\x20-\x7e\t]{0,80}$/),
  fc.constantFrom("é", "\u00ff\u0080", "", "x".repeat(4000)),
);
const hostArb = fc.oneof(
  fc.constantFrom(
    null,
    "",
    "localhost",
    "127.0.0.1",
    "a b",
    "[::1",
    "%",
    "x:99999",
    "ex.com/evil?",
    "é",
    "[",
    ":",
  ),
  valueArb,
);
const knownHeaderArb: fc.Arbitrary<[string, string]> = fc.oneof(
  fc.tuple(
    fc.constant("Authorization"),
    fc.oneof(
      fc.constant(0).chain(() => fc.constantFrom(...secrets.map((s) => `Bearer ${s}`))),
      fc.constantFrom("Bearer", "Bearer ", "Basic x", "bearer se_x"),
      valueArb,
    ),
  ),
  fc.tuple(
    fc.constant("Content-Type"),
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/x-www-form-urlencoded",
      "text/plain",
      "multipart/form-data; boundary=x",
      ";;",
      "",
    ),
  ),
  fc.tuple(
    fc.constant("Cookie"),
    fc.oneof(
      fc.constantFrom(
        "sendeasy_session=v1.e30.x",
        "sendeasy_session=",
        "sendeasy_flash=a.b.c; sendeasy_session=v1",
      ),
      valueArb,
    ),
  ),
  fc.tuple(
    fc.constantFrom(
      "Idempotency-Key",
      "Sendeasy-Company",
      "X-Twilio-Signature",
      "X-Hub-Signature-256",
      "webhook-id",
      "webhook-timestamp",
      "webhook-signature",
      "Origin",
      "Sec-Fetch-Site",
      "X-Forwarded-Proto",
      "Accept",
      "Range",
      "If-None-Match",
      "Expect",
    ),
    valueArb,
  ),
);
const headerArb = fc
  .oneof(
    { weight: 3, arbitrary: knownHeaderArb },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,30}$/), valueArb),
    },
  )
  .filter(
    ([name]) =>
      !/^(host|content-length|transfer-encoding|connection|expect|upgrade|te|trailer)$/i.test(name),
  );

const encoder = new TextEncoder();
/** A body, small ones as bytes, big ones as a size (so a counterexample prints short). */
type BodySpec = { bytes: Uint8Array } | { size: number } | null;
const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  {
    weight: 4,
    arbitrary: fc.jsonValue().map((v) => ({ bytes: encoder.encode(JSON.stringify(v) ?? "") })),
  },
  { weight: 2, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ bytes })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(
        "adminKey=x&csrf=y",
        "MessageSid=SM1&MessageStatus=delivered",
        "{",
        "[]",
        "null",
      )
      .map((s) => ({ bytes: encoder.encode(s) })),
  },
  // Sizes around every limit: the form (64 KiB), the send and admin bodies (1 MiB), Bun's old 8 MiB.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(64 * 1024 + 1, 1024 * 1024 + 1, 8 * 1024 * 1024 + 1, 10 * 1024 * 1024)
      .map((size) => ({ size })),
  },
);

/** What one generated request is, before its body is made. */
interface RequestSpec {
  method: string;
  target: string;
  version: RawRequest["version"];
  headers: [string, string][];
  body: BodySpec;
  framing: "length" | "chunked";
}

const requestArb: fc.Arbitrary<RequestSpec> = fc
  .record({
    method: methodArb,
    target: targetArb,
    http10: fc.boolean(),
    host: hostArb,
    headers: fc.array(headerArb, { maxLength: 6 }),
    body: bodyArb,
    chunked: fc.boolean(),
  })
  .map(({ method, target, http10, host, headers, body, chunked }) => {
    // HTTP/1.1 requires a Host: Bun refuses a request without one before our code runs.
    const version = http10 || host === null ? "HTTP/1.0" : "HTTP/1.1";
    const all: [string, string][] = host === null ? headers : [["Host", host], ...headers];
    const framing = version === "HTTP/1.1" && chunked ? "chunked" : "length";
    return { method, target, version, headers: all, body, framing } as RequestSpec;
  });

function rawOf(spec: RequestSpec): RawRequest {
  const { body, ...head } = spec;
  if (body === null) return head;
  return { ...head, body: "bytes" in body ? body.bytes : new Uint8Array(body.size).fill(0x7b) };
}

function check(request: RequestSpec, answer: RawAnswer): void {
  const where = `${request.method} ${request.target} → ${answer.raw.slice(0, 400)}`;
  expect(answer.status, where).toBeLessThan(500);
  const id = answer.headers.get("x-request-id");
  expect(id, where).toMatch(/^req_[0-9A-Z]+$/);
  if (answer.status < 400 || request.method === "HEAD") return;
  const page =
    request.target.startsWith("/settings") &&
    answer.headers.get("content-type")?.startsWith("text/html");
  if (page) return;
  const body = JSON.parse(answer.body);
  expect(body, where).toMatchObject({
    error: expect.any(String),
    message: expect.any(String),
    requestId: id,
  });
  if (body.details !== undefined) {
    expect(body.details.length, where).toBeGreaterThan(0);
    for (const detail of body.details)
      expect(detail, where).toMatchObject({
        path: expect.any(String),
        message: expect.any(String),
      });
  }
  const retryAfter = answer.headers.get("retry-after");
  if (retryAfter !== undefined) {
    expect(retryAfter, where).toMatch(/^[1-9][0-9]*$/);
    expect(Number(retryAfter), where).toBeLessThanOrEqual(86_400);
  }
}

test("no raw request gets a 5xx; every answer has a request id, every API error the error shape", async () => {
  await fc.assert(
    fc.asyncProperty(requestArb, async (spec) => {
      check(spec, await rawRequest(t.server.port, rawOf(spec)));
    }),
    { numRuns: 300 },
  );
}, 120_000);

test("the server answers normally after the fuzzing", async () => {
  const answer = await rawRequest(t.server.port, {
    method: "GET",
    target: "/health",
    version: "HTTP/1.1",
    headers: [["Host", "localhost"]],
  });
  expect(answer.status).toBe(200);
});
