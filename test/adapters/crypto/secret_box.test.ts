import { describe, expect, test } from "bun:test";
import { createDecipheriv, randomBytes } from "node:crypto";
import { SecretBox } from "../../../adapters/crypto/secret_box.ts";

const RAW_KEY = randomBytes(32);

describe("SecretBox", () => {
  test("decrypt() returns what encrypt() sealed, unicode and empty strings included", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    for (const plain of ["sk_live_123", "", "ünïcødé ✉️ 📱", "x".repeat(10_000)]) {
      const sealed = box.encrypt(plain);
      expect(sealed.startsWith("v1:")).toBe(true);
      expect(sealed).not.toContain(plain === "" ? "\u0000" : plain);
      expect(box.decrypt(sealed)).toBe(plain);
    }
  });

  test("encrypt() never seals the same plaintext to the same text twice", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    const seen = new Set(Array.from({ length: 100 }, () => box.encrypt("same secret")));
    expect(seen.size).toBe(100);
  });

  test("a base64 32-byte key is used as the raw AES-256-GCM key (iv | ciphertext | tag)", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    const bytes = Buffer.from(box.encrypt("interop").slice(3), "base64");
    const decipher = createDecipheriv("aes-256-gcm", RAW_KEY, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(12, bytes.length - 16)),
      decipher.final(),
    ]);
    expect(plain.toString("utf8")).toBe("interop");
  });

  test("the URL-safe and unpadded spellings of a key open each other's values", async () => {
    const standard = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    const urlSafe = await SecretBox.fromKey(RAW_KEY.toString("base64url"));
    expect(urlSafe.decrypt(standard.encrypt("same key"))).toBe("same key");
  });

  test("a passphrase is derived with SHA-256, deterministically", async () => {
    const a = await SecretBox.fromKey("correct horse battery staple");
    const b = await SecretBox.fromKey("correct horse battery staple");
    const other = await SecretBox.fromKey("correct horse battery stapler");
    const sealed = a.encrypt("hello");
    expect(b.decrypt(sealed)).toBe("hello");
    expect(() => other.decrypt(sealed)).toThrow(/altered or sealed with another key/);
  });

  test("fromKey() rejects an empty key", async () => {
    await expect(SecretBox.fromKey("  ")).rejects.toThrow(/key is empty/);
  });

  test("decrypt() throws when any byte of the sealed value changes", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    const sealed = box.encrypt("do not touch");
    const bytes = Buffer.from(sealed.slice(3), "base64");
    for (let i = 0; i < bytes.length; i++) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(() => box.decrypt(`v1:${tampered.toString("base64")}`)).toThrow();
    }
  });

  test("decrypt() throws on a value sealed with another key", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    const other = await SecretBox.fromKey(randomBytes(32).toString("base64"));
    expect(() => other.decrypt(box.encrypt("mine"))).toThrow(/another key/);
  });

  test("decrypt() throws on malformed input", async () => {
    const box = await SecretBox.fromKey(RAW_KEY.toString("base64"));
    expect(() => box.decrypt("plaintext")).toThrow(/"v1:" prefix/);
    expect(() => box.decrypt("v1:AAAA")).toThrow(/too short/);
  });
});
