import { describe, expect, test } from "bun:test";
import type { ApiFailure } from "../../cli/http_client.ts";
import {
  describeFailure,
  formatAge,
  formatAgo,
  formatDate,
  formatJson,
  formatTable,
} from "../../cli/output.ts";

const COLUMNS = [
  { header: "ID", value: (row: { id: string; name: string }) => row.id },
  { header: "NAME", value: (row: { id: string; name: string }) => row.name },
];

describe("formatTable()", () => {
  test("pads every column to its widest cell, two spaces apart, without trailing spaces", () => {
    const lines = formatTable(COLUMNS, [
      { id: "ch_1", name: "Support" },
      { id: "ch_12345", name: "x" },
    ]);
    expect(lines).toEqual(["ID        NAME", "ch_1      Support", "ch_12345  x"]);
  });

  test("prints only the header when there are no rows", () => {
    expect(formatTable(COLUMNS, [])).toEqual(["ID  NAME"]);
  });

  test("counts ⚠ and accented letters as one column each, so later columns stay aligned", () => {
    const lines = formatTable(
      [
        { header: "AGE", value: (row: { age: string; id: string }) => row.age },
        { header: "ID", value: (row: { age: string; id: string }) => row.id },
      ],
      [
        { age: "120d ⚠ rotate", id: "a1" },
        { age: "3d", id: "b2" },
        { age: "Zoë", id: "c3" },
      ],
    );
    // Every id is two characters, as is the header: aligned lines are equally long.
    expect(new Set(lines.map((line) => [...line].length))).toEqual(new Set([17]));
  });

  test("a newline or tab inside a cell cannot break the row", () => {
    const lines = formatTable(COLUMNS, [{ id: "ch_1", name: "evil\nname\there" }]);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toBe("ch_1  evil name here");
  });
});

describe("formatAge(), formatDate(), formatAgo(), formatJson()", () => {
  test("formatAge() shows whole days, else hours, else minutes", () => {
    expect(formatAge(120 * 86_400_000 + 5_000)).toBe("120d");
    expect(formatAge(86_400_000 - 1)).toBe("23h");
    expect(formatAge(59 * 60_000 + 59_999)).toBe("59m");
    expect(formatAge(-5_000)).toBe("0m");
  });

  test("formatDate() shows the UTC date, `-` when absent", () => {
    expect(formatDate("2026-01-31T23:59:00.000Z")).toBe("2026-01-31");
    expect(formatDate(null)).toBe("-");
    expect(formatDate("not a date")).toBe("not a date");
  });

  test("formatAgo() is relative to the given now, `never` when absent", () => {
    expect(formatAgo("2026-05-29T00:00:00Z", Date.parse("2026-06-01T00:00:00Z"))).toBe("3d ago");
    expect(formatAgo(null, 0)).toBe("never");
  });

  test("formatJson() round-trips through JSON.parse", () => {
    const value = { id: "ch_1", config: { a: "1" }, credits: null };
    expect(JSON.parse(formatJson(value))).toEqual(value);
  });
});

describe("describeFailure()", () => {
  type HttpFailure = Extract<ApiFailure, { code: "HTTP_ERROR" }>;
  const http = (error: HttpFailure["error"], requestId: string | null): HttpFailure => ({
    ok: false,
    code: "HTTP_ERROR",
    status: 400,
    statusText: "Bad Request",
    error,
    text: "",
    requestId,
  });

  test("reads `error: <message> (<code>, request <id>)` then one line per detail", () => {
    const failure = http(
      {
        error: "VALIDATION_ERROR",
        message: "The channel is invalid",
        details: [
          { path: "/address", message: "must be an E.164 number" },
          { path: "/config/apiKey", message: "is required" },
        ],
        requestId: "req_7",
      },
      "req_7",
    );
    expect(describeFailure(failure)).toEqual([
      "error: The channel is invalid (VALIDATION_ERROR, request req_7)",
      "  /address: must be an E.164 number",
      "  /config/apiKey: is required",
    ]);
  });

  test("a body that is not Sendeasy's error shape still names the status and the request id", () => {
    expect(
      describeFailure({ ...http(null, "req_h"), status: 502, statusText: "Bad Gateway" }),
    ).toEqual([
      "error: the server answered HTTP 502 Bad Gateway (no Sendeasy error body, request req_h)",
    ]);
  });

  test("network problems print their message", () => {
    expect(
      describeFailure({ ok: false, code: "NETWORK_ERROR", message: "cannot reach x" }),
    ).toEqual(["error: cannot reach x"]);
  });
});
