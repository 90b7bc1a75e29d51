import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SecretBox } from "../../../adapters/crypto/secret_box.ts";
import { loadOrCreateSecretKey } from "../../../adapters/crypto/secret_key_file.ts";

const root = mkdtempSync(join(tmpdir(), "sendeasy-key-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `data-${++n}`, "nested");

describe("loadOrCreateSecretKey()", () => {
  test("generates 32 random bytes into <dataDir>/secret.key with mode 0600, creating the dir", () => {
    const dir = freshDir();
    const { key, created } = loadOrCreateSecretKey(dir, undefined);
    expect(created).toBe(true);
    expect(Buffer.from(key, "base64").length).toBe(32);
    const file = join(dir, "secret.key");
    expect(readFileSync(file, "utf8").trim()).toBe(key);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  test("reuses the stored key on later loads", async () => {
    const dir = freshDir();
    const first = loadOrCreateSecretKey(dir, undefined);
    const second = loadOrCreateSecretKey(dir, "");
    expect(second).toEqual({ key: first.key, created: false });
    const sealed = (await SecretBox.fromKey(first.key)).encrypt("survives restarts");
    expect((await SecretBox.fromKey(second.key)).decrypt(sealed)).toBe("survives restarts");
  });

  test("two directories get different keys", () => {
    expect(loadOrCreateSecretKey(freshDir(), undefined).key).not.toBe(
      loadOrCreateSecretKey(freshDir(), undefined).key,
    );
  });

  test("SENDEASY_SECRET_KEY wins and no file is written", () => {
    const dir = freshDir();
    expect(loadOrCreateSecretKey(dir, " from-env ")).toEqual({ key: "from-env", created: false });
    expect(existsSync(join(dir, "secret.key"))).toBe(false);
  });

  test("an empty key file is an error, never silently replaced", () => {
    const dir = freshDir();
    loadOrCreateSecretKey(dir, undefined);
    writeFileSync(join(dir, "secret.key"), "\n");
    expect(() => loadOrCreateSecretKey(dir, undefined)).toThrow(/file is empty/);
  });
});
