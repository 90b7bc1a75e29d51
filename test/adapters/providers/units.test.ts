/**
 * The small pure rules behind the adapters and callbacks.
 */
import { describe, expect, test } from "bun:test";
import { mediaMessage } from "../../../adapters/providers/_meta_media.ts";
import { checkChannel } from "../../../core/channel_config.ts";
import type { ChannelType, ProviderName } from "../../../core/domain.ts";

/** `checkChannel`'s problems with a provider's config, on a channel whose address is right. */
function configProblems(
  type: ChannelType,
  provider: ProviderName,
  config: Record<string, unknown>,
) {
  const address = type === "email" ? "orders@shop.example" : "+5511933334444";
  return checkChannel(type, { provider, address, config });
}

describe("mediaMessage()", () => {
  test("types a file by its extension, and sends anything else as a named document", () => {
    expect(mediaMessage("https://x.test/a/photo.jpeg?size=1")).toEqual({
      type: "image",
      image: { link: "https://x.test/a/photo.jpeg?size=1" },
    });
    expect(mediaMessage("https://x.test/clip.MP4").type).toBe("video");
    expect(mediaMessage("https://x.test/voice.ogg").type).toBe("audio");
    expect(mediaMessage("https://x.test/Price%20list.xlsx")).toEqual({
      type: "document",
      document: { link: "https://x.test/Price%20list.xlsx", filename: "Price list.xlsx" },
    });
    expect(mediaMessage("https://x.test/")).toEqual({
      type: "document",
      document: { link: "https://x.test/" },
    });
  });
});

describe("provider config shapes (checkChannel)", () => {
  test("accepts the shapes each provider hands out", () => {
    expect(
      configProblems("sms", "twilio", {
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken: "0123456789abcdef0123456789abcdef",
        messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
        baseUrl: "https://api.twilio.com",
      }),
    ).toEqual([]);
    expect(
      configProblems("email", "resend", {
        apiKey: "re_123456789",
        webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      }),
    ).toEqual([]);
    expect(
      configProblems("whatsapp", "meta", {
        phoneNumberId: "106540352242922",
        accessToken: "EAAG",
        apiVersion: "v23.0",
        baseUrl: "http://127.0.0.1:8080/graph",
      }),
    ).toEqual([]);
  });

  test("a malformed value gets its key's hint, once, and only on a known key of the right type", () => {
    expect(configProblems("sms", "twilio", { accountSid: "SK123", authToken: "x" })).toEqual([
      {
        path: "/config/accountSid",
        message: 'must be the Account SID, starting with "AC" (not an API key "SK…")',
      },
    ]);
    // Missing is named once, not also as malformed; an unknown key is named as unknown only.
    const empty = configProblems("sms", "twilio", { accountSid: "", authToken: "x", c: "red" });
    expect(empty.map((detail) => detail.path)).toEqual(["/config/accountSid", "/config/c"]);
    expect(empty[0]?.message).toContain("is required");
    // An optional key given empty is malformed.
    expect(
      configProblems("whatsapp", "meta", { phoneNumberId: "1", accessToken: "t", appSecret: "" }),
    ).toEqual([{ path: "/config/appSecret", message: "must not be empty or contain spaces" }]);
  });
});
