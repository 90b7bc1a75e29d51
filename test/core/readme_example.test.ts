import { expect, test } from "bun:test";
// The README's "Using the core" example, through the package's public entry point.
import { countSmsSegments, signWebhook, validateSendPayload } from "sendeasy/core";
import { Webhook } from "standardwebhooks";

test("the README's core example runs as written", async () => {
  const result = validateSendPayload("sms", { to: "+5511999999999", body: "Your code: 123456" });
  expect(result.ok).toBe(true);
  const bad = validateSendPayload("sms", { to: "5511", body: "" });
  expect(bad.ok).toBe(false);
  if (!bad.ok)
    expect(bad.details.map((d) => d.path)).toEqual(expect.arrayContaining(["/to", "/body"]));

  expect(countSmsSegments("Olá 👋").segments).toBe(1);
  expect(countSmsSegments("Olá 👋").encoding).toBe("UCS-2");

  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const id = "evt_01J0000000000000000000000";
  const timestamp = Math.floor(Date.now() / 1000);
  const body = '{"type":"message.sent"}';
  const signature = await signWebhook({ id, timestamp, body }, [secret]);
  expect(signature).toMatch(/^v1,/);
  // A receiver using the reference library accepts it.
  const headers = {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signature,
  };
  expect(new Webhook(secret).verify(body, headers)).toEqual({ type: "message.sent" });
});
