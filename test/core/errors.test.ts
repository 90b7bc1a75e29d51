import { describe, expect, test } from "bun:test";
import { Value } from "@sinclair/typebox/value";
import fc from "fast-check";
import type { ErrorDetail } from "../../core/domain.ts";
import {
  ERROR_CATALOGUE,
  ErrorBody,
  type ErrorKind,
  errorBody,
  SEND_CHECK_ORDER,
} from "../../core/errors.ts";

// The send error table, written out by hand (plus the admin API's FORBIDDEN/NOT_FOUND/CONFLICT and INTERNAL).
const SPEC_TABLE: Record<ErrorKind, [status: number, code: string]> = {
  VALIDATION_ERROR: [400, "VALIDATION_ERROR"],
  ERR_NO_PERMISSION: [401, "ERR_NO_PERMISSION"],
  FORBIDDEN: [403, "FORBIDDEN"],
  NO_CREDITS: [402, "PROVIDER_ERROR"],
  CHANNEL_NOT_FOUND: [404, "CHANNEL_NOT_FOUND"],
  GONE: [410, "GONE"],
  PAYLOAD_TOO_LARGE: [413, "PAYLOAD_TOO_LARGE"],
  UNSUPPORTED_MEDIA_TYPE: [415, "UNSUPPORTED_MEDIA_TYPE"],
  IDEMPOTENCY_KEY_REUSED: [422, "IDEMPOTENCY_KEY_REUSED"],
  IDEMPOTENCY_IN_PROGRESS: [409, "IDEMPOTENCY_IN_PROGRESS"],
  RECIPIENT_SUPPRESSED: [422, "RECIPIENT_SUPPRESSED"],
  WHATSAPP_WINDOW_CLOSED: [422, "WHATSAPP_WINDOW_CLOSED"],
  RATE_LIMITED: [429, "RATE_LIMITED"],
  ATTACHMENT_UNAVAILABLE: [422, "ATTACHMENT_UNAVAILABLE"],
  PROVIDER_RATE_LIMITED: [429, "PROVIDER_RATE_LIMITED"],
  PROVIDER_FAILURE: [502, "PROVIDER_ERROR"],
  NOT_FOUND: [404, "NOT_FOUND"],
  CONFLICT: [409, "CONFLICT"],
  INTERNAL: [500, "INTERNAL"],
};
const KINDS = Object.keys(SPEC_TABLE) as ErrorKind[];

const kindArb = fc.constantFrom(...KINDS);
const detailArb: fc.Arbitrary<ErrorDetail> = fc.record({
  path: fc.stringMatching(/^(\/[a-z]{1,8}){0,3}$/),
  message: fc.string({ minLength: 1 }),
});

describe("ERROR_CATALOGUE", () => {
  test("has exactly the kinds of docs/api.md#errors", () => {
    expect(Object.keys(ERROR_CATALOGUE).sort()).toEqual([...KINDS].sort());
  });

  for (const kind of KINDS) {
    const [status, code] = SPEC_TABLE[kind];
    test(`${kind} answers ${status} ${code}`, () => {
      expect(ERROR_CATALOGUE[kind].status).toBe(status);
      expect<string>(ERROR_CATALOGUE[kind].code).toBe(code);
    });
  }

  test("every default message is a sentence", () => {
    for (const kind of KINDS) expect(ERROR_CATALOGUE[kind].message).toMatch(/^[A-Z].*\.$/);
  });

  test("the GONE message names the endpoint that replaces the legacy ones", () => {
    expect(ERROR_CATALOGUE.GONE.message).toContain("POST /api/integration/generic");
  });

  test("no 401 message hints at why a token was refused", () => {
    expect(ERROR_CATALOGUE.ERR_NO_PERMISSION.message).not.toMatch(
      /rotat|revok|expir|disabl|unknown/i,
    );
  });
});

describe("SEND_CHECK_ORDER", () => {
  test("runs 401, 404, 429, 415, 413, 400, 409/422, attachments 422, 402, then the provider's turn and answer", () => {
    expect(SEND_CHECK_ORDER.map((kind) => ERROR_CATALOGUE[kind].status)).toEqual([
      401, 404, 429, 415, 413, 400, 409, 422, 422, 422, 422, 402, 429, 502,
    ]);
  });

  test("checks suppressed recipients, then the WhatsApp window, after idempotency and before credits", () => {
    const at = (kind: ErrorKind) => SEND_CHECK_ORDER.indexOf(kind);
    expect(at("IDEMPOTENCY_KEY_REUSED")).toBeLessThan(at("RECIPIENT_SUPPRESSED"));
    expect(at("RECIPIENT_SUPPRESSED")).toBeLessThan(at("WHATSAPP_WINDOW_CLOSED"));
    expect(at("WHATSAPP_WINDOW_CLOSED")).toBeLessThan(at("NO_CREDITS"));
  });

  test("fetches e-mail attachments after the recipient checks and before credits", () => {
    const at = (kind: ErrorKind) => SEND_CHECK_ORDER.indexOf(kind);
    expect(at("WHATSAPP_WINDOW_CLOSED")).toBeLessThan(at("ATTACHMENT_UNAVAILABLE"));
    expect(at("ATTACHMENT_UNAVAILABLE")).toBeLessThan(at("NO_CREDITS"));
  });

  test("lists each send-path kind once", () => {
    expect(new Set(SEND_CHECK_ORDER).size).toBe(SEND_CHECK_ORDER.length);
    for (const kind of ["GONE", "NOT_FOUND", "CONFLICT", "INTERNAL"] as const) {
      expect(SEND_CHECK_ORDER).not.toContain(kind);
    }
  });
});

describe("errorBody()", () => {
  test("uses the catalogue's status, code and default message", () => {
    for (const kind of KINDS) {
      const { status, body } = errorBody(kind, { requestId: "req_1" });
      expect(status).toBe(SPEC_TABLE[kind][0]);
      expect(body).toEqual({
        error: SPEC_TABLE[kind][1],
        message: ERROR_CATALOGUE[kind].message,
        requestId: "req_1",
      });
    }
  });

  test("lists details with JSON-pointer paths", () => {
    const details = [
      { path: "/number", message: "must be E.164 digits without +" },
      { path: "/extra", message: "is not a known field" },
    ];
    const { status, body } = errorBody("VALIDATION_ERROR", { requestId: "req_2", details });
    expect(status).toBe(400);
    expect(body.details).toEqual(details);
    expect(Object.keys(body)).toEqual(["error", "message", "details", "requestId"]);
  });

  test("omits empty details", () => {
    const { body } = errorBody("VALIDATION_ERROR", { requestId: "req_3", details: [] });
    expect("details" in body).toBe(false);
    expect(JSON.stringify(body)).not.toContain(`"details"`);
  });

  test("adds the provider's fault and a custom message", () => {
    const provider = { name: "twilio", code: "21211", message: "Invalid 'To' Phone Number" };
    const { status, body } = errorBody("PROVIDER_FAILURE", {
      requestId: "req_4",
      message: "Twilio rejected the message.",
      provider,
    });
    expect(status).toBe(502);
    expect(body).toEqual({
      error: "PROVIDER_ERROR",
      message: "Twilio rejected the message.",
      provider,
      requestId: "req_4",
    });
  });

  test("puts lastInboundAt beside details, null included, and keeps it out when not given", () => {
    const details = [{ path: "/message", message: "send a template" }];
    const closed = errorBody("WHATSAPP_WINDOW_CLOSED", {
      requestId: "req_5",
      details,
      lastInboundAt: null,
    });
    expect(closed.status).toBe(422);
    expect(closed.body).toEqual({
      error: "WHATSAPP_WINDOW_CLOSED",
      message: ERROR_CATALOGUE.WHATSAPP_WINDOW_CLOSED.message,
      details,
      lastInboundAt: null,
      requestId: "req_5",
    });
    expect(Value.Check(ErrorBody, closed.body)).toBe(true);
    const at = "2026-01-01T00:00:00.000Z";
    expect(
      errorBody("WHATSAPP_WINDOW_CLOSED", { requestId: "r", lastInboundAt: at }).body,
    ).toMatchObject({ lastInboundAt: at });
    expect("lastInboundAt" in errorBody("VALIDATION_ERROR", { requestId: "r" }).body).toBe(false);
  });

  test("copies details and provider rather than sharing the caller's objects", () => {
    const details = [{ path: "/a", message: "bad" }];
    const provider = { name: "meta", code: "131026", message: "undeliverable" };
    const { body } = errorBody("PROVIDER_FAILURE", { requestId: "r", details, provider });
    details[0]!.message = "changed";
    provider.code = "changed";
    expect(body.details?.[0]?.message).toBe("bad");
    expect(body.provider?.code).toBe("131026");
  });

  test("every body satisfies the ErrorBody schema, with details exactly when there are some", () => {
    fc.assert(
      fc.property(
        kindArb,
        fc.string(),
        fc.array(detailArb, { maxLength: 4 }),
        fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
        (kind, requestId, details, message) => {
          const { body } = errorBody(kind, {
            requestId,
            details,
            ...(message === undefined ? {} : { message }),
          });
          expect(Value.Check(ErrorBody, body)).toBe(true);
          expect("details" in body).toBe(details.length > 0);
          expect(body.requestId).toBe(requestId);
          expect(body.message).toBe(message ?? ERROR_CATALOGUE[kind].message);
        },
      ),
    );
  });

  test("the ErrorBody schema refuses empty details and unknown fields", () => {
    const base = { error: "X", message: "m", requestId: "r" };
    expect(Value.Check(ErrorBody, base)).toBe(true);
    expect(Value.Check(ErrorBody, { ...base, details: [] })).toBe(false);
    expect(Value.Check(ErrorBody, { ...base, stack: "at …" })).toBe(false);
  });
});
