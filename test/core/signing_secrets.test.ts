import { describe, expect, test } from "bun:test";
import type { SigningSecret } from "../../core/domain.ts";
import { liveSigningSecrets, rotatedSigningSecrets } from "../../core/signing_secrets.ts";

const secret = (name: string, createdAt: number, expiresAt: number | null): SigningSecret => ({
  secret: name,
  createdAt: new Date(createdAt),
  expiresAt: expiresAt === null ? null : new Date(expiresAt),
});

describe("liveSigningSecrets()", () => {
  test("keeps the current secret and those expiring after the time, in order", () => {
    const secrets = [secret("c", 30, null), secret("b", 20, 100), secret("a", 10, 50)];
    expect(liveSigningSecrets(secrets, 49).map((s) => s.secret)).toEqual(["c", "b", "a"]);
    // A secret stops signing at its expiry, not a moment after.
    expect(liveSigningSecrets(secrets, 50).map((s) => s.secret)).toEqual(["c", "b"]);
    expect(liveSigningSecrets(secrets, 100).map((s) => s.secret)).toEqual(["c"]);
  });
});

describe("rotatedSigningSecrets()", () => {
  test("puts the new secret first, gives the current one its expiry, drops the expired", () => {
    const before = [secret("b", 20, null), secret("a", 10, 40)];
    const after = rotatedSigningSecrets(before, secret("c", 40, null), new Date(1000));
    expect(after).toEqual([secret("c", 40, null), secret("b", 20, 1000)]);
    // Rotating again before the overlap ends keeps both older secrets until their expiries.
    const again = rotatedSigningSecrets(after, secret("d", 500, null), new Date(2000));
    expect(again.map((s) => [s.secret, s.expiresAt?.getTime() ?? null])).toEqual([
      ["d", null],
      ["c", 2000],
      ["b", 1000],
    ]);
  });
});
