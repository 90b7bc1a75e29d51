/**
 * The provider callback scenarios for Meta's WhatsApp Cloud API: a WhatsApp channel, status
 * notifications and inbound messages signed with `X-Hub-Signature-256` (HMAC-SHA256 of the
 * body with the app secret).
 */
import { createHmac } from "node:crypto";
import { MetaFake } from "../../support/fakes/meta_fake.ts";
import { type Callback, META, metaInbound, metaStatus } from "../../support/provider_callbacks.ts";
import { callbackScenarios } from "./_callback_scenarios.ts";
import { nextNumber } from "./_callback_server.ts";

await callbackScenarios({
  provider: "meta",
  type: "whatsapp",
  startFake: () => new MetaFake(META.phoneNumberId, META.accessToken, META.apiVersion),
  channel: (fakeUrl) => ({
    type: "whatsapp",
    provider: "meta",
    address: META.address,
    // Free text to any number: the suites have no inbound message opening a 24-hour window.
    config: {
      phoneNumberId: META.phoneNumberId,
      accessToken: META.accessToken,
      appSecret: META.appSecret,
      verifyToken: META.verifyToken,
      baseUrl: fakeUrl,
      enforceWindow: false,
    },
  }),
  body: () => ({ number: `55119${nextNumber()}`, message: "Your order shipped" }),
  report: (channelId, wamid, status) =>
    metaStatus(
      channelId,
      wamid,
      status,
      status === "failed" ? { errors: [{ code: 131026, title: "Message undeliverable" }] } : {},
    ),
  inbound: (channelId, n) => metaInbound(channelId, `wamid.INBOUND${String(n).padStart(8, "0")}`),
  forgeries: (channelId, wamid) => {
    const tampered: Callback = metaStatus(channelId, wamid, "delivered");
    tampered.body = tampered.body.replace("delivered", "read");
    const unsigned: Callback = metaStatus(channelId, wamid, "delivered");
    delete unsigned.headers["x-hub-signature-256"];
    // The legacy SHA-1 header alone, correctly signed: only SHA-256 is accepted.
    const sha1: Callback = metaStatus(channelId, wamid, "delivered");
    delete sha1.headers["x-hub-signature-256"];
    sha1.headers["x-hub-signature"] =
      `sha1=${createHmac("sha1", META.appSecret).update(sha1.body).digest("hex")}`;
    return {
      "another app secret": metaStatus(channelId, wamid, "delivered", {}, "0".repeat(32)),
      "a tampered body": tampered,
      "no signature": unsigned,
      "a SHA-1 signature": sha1,
    };
  },
});
