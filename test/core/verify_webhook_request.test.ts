import { describe, expect, test } from "bun:test";
import { Webhook } from "standardwebhooks";
import { signWebhook } from "../../core/signatures.ts";
import { verifyWebhookRequest } from "../../core/verify_webhook_request.ts";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const OTHER_SECRET = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD";
const ID = "evt_01JGZ5Y8K3M9T4W7Q2R6X1V0BN";
const NOW = Date.parse("2025-06-01T12:00:00Z");
const TIMESTAMP = Math.floor(NOW / 1000);
const BODY = JSON.stringify({ id: ID, type: "message.delivered", companyId: "co_1" });
const OPTIONS = { secret: SECRET, now: NOW };

async function signedHeaders(secrets: string[] = [SECRET]): Promise<Record<string, string>> {
  return {
    "webhook-id": ID,
    "webhook-timestamp": String(TIMESTAMP),
    "webhook-signature": await signWebhook({ id: ID, timestamp: TIMESTAMP, body: BODY }, secrets),
  };
}

describe("verifyWebhookRequest()", () => {
  test("accepts a signed delivery and parses its event, from Fetch Headers or a plain object", async () => {
    const headers = await signedHeaders();
    const expected = { ok: true as const, event: JSON.parse(BODY) };
    expect(await verifyWebhookRequest(headers, BODY, OPTIONS)).toEqual(expected);
    expect(await verifyWebhookRequest(new Headers(headers), BODY, OPTIONS)).toEqual(expected);
  });

  test("reads a plain object's header names in any case, and a repeated header", async () => {
    const headers = await signedHeaders();
    const node = {
      "Webhook-Id": ID,
      "WEBHOOK-TIMESTAMP": headers["webhook-timestamp"],
      "webhook-signature": ["v1,bm90IGl0", headers["webhook-signature"]!],
    };
    expect((await verifyWebhookRequest(node, BODY, OPTIONS)).ok).toBe(true);
  });

  test("accepts a delivery signed by the reference Standard Webhooks library", async () => {
    const signature = new Webhook(SECRET).sign(ID, new Date(TIMESTAMP * 1000), BODY);
    const headers = { ...(await signedHeaders()), "webhook-signature": signature };
    expect((await verifyWebhookRequest(headers, BODY, OPTIONS)).ok).toBe(true);
  });

  test("during a secret rotation, either secret verifies a delivery signed with both", async () => {
    const headers = await signedHeaders([OTHER_SECRET, SECRET]);
    expect((await verifyWebhookRequest(headers, BODY, OPTIONS)).ok).toBe(true);
    const withOther = { secret: OTHER_SECRET, now: NOW };
    expect((await verifyWebhookRequest(headers, BODY, withOther)).ok).toBe(true);
  });

  test.each(["webhook-id", "webhook-timestamp", "webhook-signature"])(
    "refuses a delivery without %s",
    async (name) => {
      const headers = await signedHeaders();
      delete headers[name];
      expect(await verifyWebhookRequest(headers, BODY, OPTIONS)).toEqual({
        ok: false,
        code: "MISSING_HEADER",
      });
    },
  );

  test.each([` ${TIMESTAMP}`, `${TIMESTAMP}.0`, "1e9", "0x10", "", "-1"])(
    "refuses a timestamp that is not unix seconds in digits: %p",
    async (timestamp) => {
      const headers = { ...(await signedHeaders()), "webhook-timestamp": timestamp };
      expect(await verifyWebhookRequest(headers, BODY, OPTIONS)).toEqual({
        ok: false,
        code: "MALFORMED_HEADER",
      });
    },
  );

  test("refuses a changed body, another id, another secret and a replay after the tolerance", async () => {
    const headers = await signedHeaders();
    const refused = (code: "INVALID_SIGNATURE" | "TIMESTAMP_OUT_OF_TOLERANCE") => ({
      ok: false as const,
      code,
    });
    expect(await verifyWebhookRequest(headers, BODY.replace("delivered", "read"), OPTIONS)).toEqual(
      refused("INVALID_SIGNATURE"),
    );
    expect(
      await verifyWebhookRequest({ ...headers, "webhook-id": "evt_2" }, BODY, OPTIONS),
    ).toEqual(refused("INVALID_SIGNATURE"));
    expect(await verifyWebhookRequest(headers, BODY, { ...OPTIONS, secret: OTHER_SECRET })).toEqual(
      refused("INVALID_SIGNATURE"),
    );
    expect(await verifyWebhookRequest(headers, BODY, { ...OPTIONS, now: NOW + 301_000 })).toEqual(
      refused("TIMESTAMP_OUT_OF_TOLERANCE"),
    );
    expect(await verifyWebhookRequest(headers, BODY, { ...OPTIONS, now: NOW + 300_000 })).toEqual({
      ok: true,
      event: JSON.parse(BODY),
    });
  });

  test("a correctly signed body that is not JSON is refused, not thrown", async () => {
    const body = "not json";
    const signature = await signWebhook({ id: ID, timestamp: TIMESTAMP, body }, [SECRET]);
    const headers = { ...(await signedHeaders()), "webhook-signature": signature };
    expect(await verifyWebhookRequest(headers, body, OPTIONS)).toEqual({
      ok: false,
      code: "MALFORMED_BODY",
    });
  });
});
