import { describe, expect, test } from "bun:test";
import { parseCliEnv } from "../../cli/env.ts";

describe("parseCliEnv()", () => {
  test("defaults SENDEASY_URL to http://localhost:3000 and the key to null", () => {
    expect(parseCliEnv({})).toEqual({
      ok: true,
      env: { baseUrl: "http://localhost:3000", adminKey: null },
    });
    expect(parseCliEnv({ SENDEASY_URL: " ", SENDEASY_ADMIN_KEY: "" })).toEqual({
      ok: true,
      env: { baseUrl: "http://localhost:3000", adminKey: null },
    });
  });

  test("keeps a path prefix and drops trailing slashes", () => {
    const parsed = parseCliEnv({
      SENDEASY_URL: "https://ops.example.com/sendeasy//",
      SENDEASY_ADMIN_KEY: "k",
    });
    expect(parsed).toEqual({
      ok: true,
      env: { baseUrl: "https://ops.example.com/sendeasy", adminKey: "k" },
    });
  });

  test.each(["localhost:3000", "ftp://x", "not a url"])("rejects SENDEASY_URL=%p", (url) => {
    expect(parseCliEnv({ SENDEASY_URL: url })).toMatchObject({ ok: false });
  });
});
