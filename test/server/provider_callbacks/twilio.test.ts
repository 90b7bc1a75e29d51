/**
 * The provider callback scenarios for Twilio: a WhatsApp channel, status callbacks and inbound
 * messages as form posts signed with `X-Twilio-Signature` (the SDK's own function) over the
 * public URL.
 */
import { TwilioFake } from "../../support/fakes/twilio_fake.ts";
import {
  type Callback,
  TWILIO,
  twilioInbound,
  twilioStatus,
} from "../../support/provider_callbacks.ts";
import { callbackScenarios } from "./_callback_scenarios.ts";
import { nextNumber, type Reported } from "./_callback_server.ts";

const STATUS: Record<Reported, string> = {
  delivered: "delivered",
  read: "read",
  failed: "undelivered",
};

await callbackScenarios({
  provider: "twilio",
  type: "whatsapp",
  startFake: () => new TwilioFake(TWILIO.accountSid, TWILIO.authToken),
  channel: (fakeUrl) => ({
    type: "whatsapp",
    provider: "twilio",
    address: TWILIO.address,
    // Free text to any number: the suites have no inbound message opening a 24-hour window.
    config: {
      accountSid: TWILIO.accountSid,
      authToken: TWILIO.authToken,
      baseUrl: fakeUrl,
      enforceWindow: false,
    },
  }),
  body: () => ({ number: `55119${nextNumber()}`, message: "Your order shipped" }),
  report: (channelId, sid, status) =>
    twilioStatus(channelId, sid, STATUS[status], status === "failed" ? { ErrorCode: "30003" } : {}),
  inbound: (channelId, n) => twilioInbound(channelId, `SM${String(n).padStart(32, "0")}`),
  forgeries: (channelId, sid, serverUrl) => {
    const tampered: Callback = twilioStatus(channelId, sid, "delivered");
    tampered.body = tampered.body.replace("delivered", "failed");
    const unsigned: Callback = twilioStatus(channelId, sid, "delivered");
    delete unsigned.headers["x-twilio-signature"];
    return {
      "a wrong auth token": twilioStatus(
        channelId,
        sid,
        "delivered",
        {},
        { token: "1".repeat(32) },
      ),
      // Signed over the URL the server listens on, not the public one Twilio was given.
      "the listening URL": twilioStatus(
        channelId,
        sid,
        "delivered",
        {},
        { url: `${serverUrl}/hooks/twilio/${channelId}` },
      ),
      "a tampered body": tampered,
      "no signature": unsigned,
    };
  },
});
