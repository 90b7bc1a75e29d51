/**
 * What provider callback routes answer, as OpenAPI response objects: these routes are called
 * by the providers, never by an API client, so they are documented only.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { ErrorSchema } from "./responses.ts";

const error = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorSchema } },
});

const received = {
  description: "The callback was taken into account",
  content: {
    "application/json": {
      schema: Type.Object({ received: Type.Literal(true) }, { additionalProperties: false }),
    },
  },
};

const refused = {
  401: error("ERR_NO_PERMISSION: the signature is missing or wrong (or the channel is unknown)"),
  413: error("PAYLOAD_TOO_LARGE: the body is over 1 MiB"),
};

/** A JSON callback (Resend, Meta). */
export const JSON_CALLBACK_RESPONSES = { 200: received, ...refused };

/** Twilio's callbacks, answered with an empty TwiML document. */
export const TWIML_CALLBACK_RESPONSES = {
  200: {
    description: "An empty TwiML document: nothing to reply",
    content: { "text/xml": { schema: Type.String() } },
  },
  ...refused,
};

/** Meta's verification handshake. */
export const META_VERIFY_RESPONSES = {
  200: {
    description: "hub.challenge, echoed",
    content: { "text/plain": { schema: Type.String() } },
  },
  403: error("ERR_NO_PERMISSION: hub.mode or hub.verify_token is wrong"),
};
