import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import {
  generateWebhookSecret,
  signWebhook,
  signWebhookWith,
  verifyWebhook,
} from "../../core/signatures.ts";
import {
  base64CharArb,
  bodyArb,
  messageArb,
  messageIdArb,
  mutateArb,
  secretArb,
  toBase64,
} from "../arbitraries/signatures_arbs.ts";

/** The vector of the Standard Webhooks reference libraries' own tests. */
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  message: {
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
  },
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const AT_VECTOR = VECTOR.message.timestamp * 1000;

function secureRandom(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}

/** Lets the reference library (which reads the real clock) check our header. */
function referenceAccepts(
  secret: string,
  message: { id: string; timestamp: number; body: string },
  header: string,
): boolean {
  try {
    new Webhook(secret).verify(
      message.body,
      {
        "webhook-id": message.id,
        "webhook-timestamp": String(message.timestamp),
        "webhook-signature": header,
      },
      { jsonParse: false },
    );
    return true;
  } catch {
    return false;
  }
}

describe("generateWebhookSecret()", () => {
  test("is whsec_ + base64 of 32 bytes from the random source", () => {
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i);
    expect(generateWebhookSecret(() => bytes)).toBe(
      "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
    );
  });

  test("asks the random source for 32 bytes", () => {
    const asked: number[] = [];
    generateWebhookSecret((n) => {
      asked.push(n);
      return new Uint8Array(n);
    });
    expect(asked).toEqual([32]);
  });

  test("throws when the random source gives another length", () => {
    expect(() => generateWebhookSecret(() => new Uint8Array(16))).toThrow(RangeError);
  });

  test("makes secrets the reference library accepts", () => {
    const secret = generateWebhookSecret(secureRandom);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(() => new Webhook(secret)).not.toThrow();
  });
});

describe("signWebhook()", () => {
  test("matches the Standard Webhooks test vector", async () => {
    expect(await signWebhook(VECTOR.message, [VECTOR.secret])).toBe(VECTOR.signature);
  });

  test("signs with every secret, space-separated, in the order given (rotation)", async () => {
    const other = generateWebhookSecret(secureRandom);
    const header = await signWebhook(VECTOR.message, [other, VECTOR.secret]);
    const [first, second, ...rest] = header.split(" ");
    expect(rest).toEqual([]);
    expect(first).toBe(await signWebhook(VECTOR.message, [other]));
    expect(second).toBe(VECTOR.signature);
  });

  test("gives the same header as the reference library for any message and secret", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, messageArb, async (secret, message) => {
        const ours = await signWebhook(message, [secret]);
        const theirs = new Webhook(secret).sign(
          message.id,
          new Date(message.timestamp * 1000),
          message.body,
        );
        expect(ours).toBe(theirs);
      }),
    );
  });

  test("signs the same way whether the secret has the whsec_ prefix or not", async () => {
    const bare = VECTOR.secret.slice("whsec_".length);
    expect(await signWebhook(VECTOR.message, [bare])).toBe(VECTOR.signature);
  });

  test("keeps signing correctly after many secrets pushed its key out of the cache", async () => {
    const secrets = Array.from({ length: 300 }, () => generateWebhookSecret(secureRandom));
    const headers = await Promise.all(
      secrets.map((secret) => signWebhook(VECTOR.message, [secret])),
    );
    expect(new Set(headers).size).toBe(300);
    expect(await signWebhook(VECTOR.message, [secrets[0]!])).toBe(headers[0]!);
    expect(await signWebhook(VECTOR.message, [VECTOR.secret])).toBe(VECTOR.signature);
  });

  test("throws without a secret", async () => {
    await expect(signWebhook(VECTOR.message, [])).rejects.toThrow(RangeError);
  });

  test.each(["whsec_", "whsec_not base64!", "whsec_abc", "whsec_YWJj=="])(
    "throws on the malformed secret %p",
    async (secret) => {
      await expect(signWebhook(VECTOR.message, [secret])).rejects.toThrow(TypeError);
    },
  );

  test.each([-1, 1.5, Number.NaN])("throws on the timestamp %p", async (timestamp) => {
    await expect(signWebhook({ ...VECTOR.message, timestamp }, [VECTOR.secret])).rejects.toThrow(
      RangeError,
    );
  });
});

describe("signWebhookWith()", () => {
  const hmac = (key: Uint8Array, content: string) =>
    createHmac("sha256", key).update(content).digest("base64");

  test("with any correct HMAC, gives signWebhook's header for one or more secrets", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        messageArb,
        async (secrets, message) => {
          expect(signWebhookWith(hmac, message, secrets)).toBe(await signWebhook(message, secrets));
        },
      ),
      { numRuns: 100 },
    );
  });

  test("throws what signWebhook rejects with", () => {
    const message = { id: "evt_1", timestamp: 1, body: "{}" };
    expect(() => signWebhookWith(hmac, message, [])).toThrow(RangeError);
    expect(() => signWebhookWith(hmac, message, ["whsec_%%%"])).toThrow(TypeError);
    expect(() => signWebhookWith(hmac, { ...message, timestamp: 1.5 }, ["whsec_AAAA"])).toThrow(
      RangeError,
    );
  });
});

describe("verifyWebhook()", () => {
  const verifyVector = (header: string, options: { now?: number; secret?: string } = {}) =>
    verifyWebhook(VECTOR.message, header, {
      secret: options.secret ?? VECTOR.secret,
      now: options.now ?? AT_VECTOR,
    });

  test("accepts the Standard Webhooks test vector", async () => {
    expect(await verifyVector(VECTOR.signature)).toEqual({ ok: true });
  });

  test("accepts a header where any entry matches, skipping other versions", async () => {
    const header = `v1a,c29tZXRoaW5n v1,bm9wZQ== ${VECTOR.signature}`;
    expect(await verifyVector(header)).toEqual({ ok: true });
    expect(await verifyVector(`  ${VECTOR.signature}  `)).toEqual({ ok: true });
  });

  test("rejects a header with no matching v1 entry", async () => {
    const [, value] = VECTOR.signature.split(",");
    expect(await verifyVector(`v2,${value}`)).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
    expect(await verifyVector("v1,bm9wZQ==")).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
    // Same bytes, non-canonical base64 (padding dropped): the reference library refuses it too.
    expect(await verifyVector(VECTOR.signature.replace(/=$/, ""))).toEqual({
      ok: false,
      code: "INVALID_SIGNATURE",
    });
  });

  test.each(["", "   ", "v1", "v1,", ",abc", `${"v1,abc"} garbage`])(
    "reports the malformed header %p",
    async (header) => {
      expect(await verifyVector(header)).toEqual({ ok: false, code: "MALFORMED_HEADER" });
    },
  );

  test.each([1.5, Number.NaN, Number.POSITIVE_INFINITY])(
    "reports a non-integer timestamp %p as a malformed header",
    async (timestamp) => {
      const result = await verifyWebhook({ ...VECTOR.message, timestamp }, VECTOR.signature, {
        secret: VECTOR.secret,
        now: AT_VECTOR,
      });
      expect(result).toEqual({ ok: false, code: "MALFORMED_HEADER" });
    },
  );

  test.each(["", "whsec_", "whsec_%%%%", "whsec_abc", "whsec_YW Jj"])(
    "reports the malformed secret %p before looking at the header",
    async (secret) => {
      expect(await verifyVector("", { secret })).toEqual({ ok: false, code: "MALFORMED_SECRET" });
    },
  );

  test("allows 300 s of clock skew either way, to the second", async () => {
    for (const now of [AT_VECTOR + 300_999, AT_VECTOR - 300_000]) {
      expect(await verifyVector(VECTOR.signature, { now })).toEqual({ ok: true });
    }
    for (const now of [AT_VECTOR + 301_000, AT_VECTOR - 301_000]) {
      expect(await verifyVector(VECTOR.signature, { now })).toEqual({
        ok: false,
        code: "TIMESTAMP_OUT_OF_TOLERANCE",
      });
    }
  });

  test("honours a custom tolerance, and throws on a negative one", async () => {
    const options = { secret: VECTOR.secret, now: AT_VECTOR + 10_000 };
    expect(
      await verifyWebhook(VECTOR.message, VECTOR.signature, { ...options, toleranceSeconds: 10 }),
    ).toEqual({
      ok: true,
    });
    expect(
      await verifyWebhook(VECTOR.message, VECTOR.signature, { ...options, toleranceSeconds: 9 }),
    ).toEqual({
      ok: false,
      code: "TIMESTAMP_OUT_OF_TOLERANCE",
    });
    await expect(
      verifyWebhook(VECTOR.message, VECTOR.signature, { ...options, toleranceSeconds: -1 }),
    ).rejects.toThrow(RangeError);
  });

  test("sign then verify round-trips for any message, with every rotated secret", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        messageArb,
        async (secrets, message) => {
          const header = await signWebhook(message, secrets);
          for (const secret of secrets) {
            expect(
              await verifyWebhook(message, header, { secret, now: message.timestamp * 1000 }),
            ).toEqual({
              ok: true,
            });
          }
        },
      ),
    );
  });

  test("our signatures pass the reference library", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, messageIdArb, bodyArb, async (secret, id, body) => {
        const message = { id, timestamp: Math.floor(Date.now() / 1000), body };
        expect(referenceAccepts(secret, message, await signWebhook(message, [secret]))).toBe(true);
      }),
    );
  });

  test("the reference library's signatures pass ours", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, messageArb, async (secret, message) => {
        const date = new Date(message.timestamp * 1000);
        const header = new Webhook(secret).sign(message.id, date, message.body);
        expect(await verifyWebhook(message, header, { secret, now: date.getTime() })).toEqual({
          ok: true,
        });
      }),
    );
  });

  test("a tampered header is also refused by the reference library", async () => {
    const message = { ...VECTOR.message, timestamp: Math.floor(Date.now() / 1000) };
    const header = await signWebhook(message, [VECTOR.secret]);
    expect(referenceAccepts(VECTOR.secret, message, header)).toBe(true);
    expect(referenceAccepts(VECTOR.secret, { ...message, body: `${message.body} ` }, header)).toBe(
      false,
    );
  });

  test("any change to the body fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        messageArb.chain((message) => fc.tuple(fc.constant(message), mutateArb(message.body))),
        async (secret, [message, body]) => {
          fc.pre(body !== message.body);
          const header = await signWebhook(message, [secret]);
          const result = await verifyWebhook({ ...message, body }, header, {
            secret,
            now: message.timestamp * 1000,
          });
          expect(result).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
        },
      ),
    );
  });

  test("any change to the id fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        messageArb.chain((message) => fc.tuple(fc.constant(message), mutateArb(message.id))),
        async (secret, [message, id]) => {
          fc.pre(id !== message.id);
          const header = await signWebhook(message, [secret]);
          const result = await verifyWebhook({ ...message, id }, header, {
            secret,
            now: message.timestamp * 1000,
          });
          expect(result).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
        },
      ),
    );
  });

  test("any change to the timestamp fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        messageArb,
        fc.integer({ min: -1000, max: 1000 }).filter((d) => d !== 0),
        async (secret, message, delta) => {
          const header = await signWebhook(message, [secret]);
          const timestamp = message.timestamp + delta;
          const result = await verifyWebhook({ ...message, timestamp }, header, {
            secret,
            now: timestamp * 1000,
          });
          expect(result).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
        },
      ),
    );
  });

  test("any change to one character of the signature fails", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        messageArb,
        fc.nat(),
        base64CharArb,
        async (secret, message, at, char) => {
          const header = await signWebhook(message, [secret]);
          const position = "v1,".length + (at % (header.length - "v1,".length));
          fc.pre(header[position] !== char && header[position] !== "=");
          const tampered = header.slice(0, position) + char + header.slice(position + 1);
          const result = await verifyWebhook(message, tampered, {
            secret,
            now: message.timestamp * 1000,
          });
          expect(result).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
        },
      ),
    );
  });

  test("a different secret fails", async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, secretArb, messageArb, async (signer, verifier, message) => {
        fc.pre(signer !== verifier);
        const header = await signWebhook(message, [signer]);
        const result = await verifyWebhook(message, header, {
          secret: verifier,
          now: message.timestamp * 1000,
        });
        expect(result).toEqual({ ok: false, code: "INVALID_SIGNATURE" });
      }),
    );
  });

  test("a timestamp outside the tolerance fails even with a valid signature", async () => {
    await fc.assert(
      fc.asyncProperty(
        secretArb,
        messageArb,
        fc.integer({ min: 301, max: 10_000_000 }),
        fc.boolean(),
        async (secret, message, skew, late) => {
          const header = await signWebhook(message, [secret]);
          const now = (message.timestamp + (late ? skew : -skew)) * 1000;
          expect(await verifyWebhook(message, header, { secret, now })).toEqual({
            ok: false,
            code: "TIMESTAMP_OUT_OF_TOLERANCE",
          });
        },
      ),
    );
  });

  test("a bare base64 key verifies like its whsec_ form (as in the reference library)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        messageArb,
        async (bytes, message) => {
          const header = await signWebhook(message, [`whsec_${toBase64(bytes)}`]);
          const result = await verifyWebhook(message, header, {
            secret: toBase64(bytes),
            now: message.timestamp * 1000,
          });
          expect(result).toEqual({ ok: true });
        },
      ),
    );
  });
});
