/**
 * The small pure rules behind the adapters and callbacks.
 */
import { describe, expect, test } from "bun:test";
import { mediaMessage } from "../../../adapters/providers/_meta_media.ts";
import { checkProviderConfigShapes } from "../../../core/provider_config_shapes.ts";

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

describe("checkProviderConfigShapes()", () => {
  test("accepts the shapes each provider hands out", () => {
    expect(
      checkProviderConfigShapes("twilio", {
        accountSid: "AC0123456789abcdef0123456789abcdef",
        authToken: "0123456789abcdef0123456789abcdef",
        messagingServiceSid: "MG0123456789abcdef0123456789abcdef",
        baseUrl: "https://api.twilio.com",
      }),
    ).toEqual([]);
    expect(
      checkProviderConfigShapes("resend", {
        apiKey: "re_123456789",
        webhookSecret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
      }),
    ).toEqual([]);
    expect(
      checkProviderConfigShapes("meta", {
        phoneNumberId: "106540352242922",
        accessToken: "EAAG",
        apiVersion: "v23.0",
        baseUrl: "http://127.0.0.1:8080/graph",
      }),
    ).toEqual([]);
  });

  test("leaves the sandbox and unknown keys to checkChannel", () => {
    expect(checkProviderConfigShapes("sandbox", { deliveredAfterMs: "soon" })).toEqual([]);
    expect(checkProviderConfigShapes("twilio", { colour: "red" })).toEqual([]);
  });
});
