import { afterEach, describe, expect, test } from "bun:test";
import { formatNext } from "../../../cli/commands/deliveries.ts";
import { runCli } from "../../../cli/run_cli.ts";
import { captureContext } from "../../support/capture_context.ts";
import {
  apiError,
  type FakeApi,
  type FakeApiOptions,
  json,
  startFakeApi,
} from "../fake_admin_api.ts";

const KEY = "sk_test_admin_key_0123456789";
// captureContext's clock reads 2026-06-01T00:00:00Z.
const NOW = Date.parse("2026-06-01T00:00:00Z");
let api: FakeApi | undefined;

afterEach(() => {
  api?.stop();
  api = undefined;
});

function withApi(routes: FakeApiOptions["routes"]) {
  api = startFakeApi({ adminKey: KEY, routes });
  return { api, ...captureContext({ baseUrl: api.url, adminKey: KEY }) };
}

const delivery = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  eventId: "evt_1",
  webhookId: "int_1",
  status: "succeeded",
  attempts: 1,
  nextAttemptAt: null,
  lastStatusCode: 200,
  lastError: null,
  createdAt: "2026-05-31T23:00:00.000Z",
  updatedAt: "2026-05-31T23:00:00.000Z",
  ...extra,
});

const LIST = [
  delivery("dlv_a"),
  delivery("dlv_b", {
    status: "pending",
    attempts: 2,
    lastStatusCode: 503,
    nextAttemptAt: "2026-06-01T00:05:00.000Z",
  }),
  delivery("dlv_c", {
    eventId: "evt_2",
    status: "failed",
    attempts: 8,
    lastStatusCode: null,
    lastError: "connection refused",
  }),
];

describe("formatNext()", () => {
  test.each([
    [null, "-"],
    ["2026-06-01T00:05:00Z", "in 5m"],
    ["2026-06-01T00:00:20Z", "in <1m"],
    ["2026-06-01T03:00:00Z", "in 3h"],
    ["2026-05-31T23:59:00Z", "due"],
  ])("%p → %p", (iso, expected) => {
    expect(formatNext(iso, NOW)).toBe(expected);
  });
});

describe("deliveries list", () => {
  const routes = {
    "GET /api/admin/deliveries": () => json(200, { data: LIST, nextCursor: null }),
  };

  test("prints a table with the last status and when the next attempt is due", async () => {
    const { ctx, stdout, stderr } = withApi(routes);
    expect(await runCli(["deliveries", "list"], ctx)).toBe(0);
    expect(stdout).toEqual([
      "ID     EVENT  WEBHOOK  STATUS     ATTEMPTS  LAST STATUS  NEXT ATTEMPT",
      "dlv_a  evt_1  int_1    succeeded  1         200          -",
      "dlv_b  evt_1  int_1    pending    2         503          in 5m",
      "dlv_c  evt_2  int_1    failed     8         error        -",
    ]);
    expect(stderr).toEqual([]);
  });

  test("--webhook, --status and --event become query filters; --json prints an array", async () => {
    const { ctx, stdout, api } = withApi(routes);
    const argv = [
      "deliveries",
      "list",
      "--webhook",
      "int_1",
      "--status",
      "failed",
      "--event",
      "evt_2",
      "--json",
    ];
    expect(await runCli(argv, ctx)).toBe(0);
    const query = api.requests[0]?.query;
    expect(query?.get("webhookId")).toBe("int_1");
    expect(query?.get("status")).toBe("failed");
    expect(query?.get("eventId")).toBe("evt_2");
    expect(query?.get("limit")).toBe("100");
    expect(JSON.parse(stdout.join("\n"))).toEqual(LIST);
  });

  test("--limit caps the rows across pages and notes on stderr that there are more", async () => {
    const { ctx, stdout, stderr, api } = withApi({
      "GET /api/admin/deliveries": (request) =>
        request.query.get("cursor") === null
          ? json(200, { data: LIST.slice(0, 2), nextCursor: "c2" })
          : json(200, { data: LIST.slice(2), nextCursor: "c3" }),
    });
    expect(await runCli(["deliveries", "list", "--limit", "3", "--json"], ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n")).map((row: { id: string }) => row.id)).toEqual([
      "dlv_a",
      "dlv_b",
      "dlv_c",
    ]);
    expect(api.requests.map((r) => r.query.get("limit"))).toEqual(["3", "1"]);
    expect(stderr).toEqual(["note: showing the newest 3; pass --limit to see more"]);
  });

  test.each([
    [["--status", "done"], '--status must be one of pending, succeeded, failed, got "done"'],
    [["--webhook", "ch_1"], "--webhook: expected a webhook id"],
    [["--event", "msg_1"], "--event: expected a webhook event id"],
    [["--limit", "0"], "--limit must be a whole number"],
  ])("%p is a usage error before any request", async (extra, message) => {
    const { ctx, stderr, api } = withApi(routes);
    expect(await runCli(["deliveries", "list", ...extra], ctx)).toBe(2);
    expect(stderr[0]).toContain(message);
    expect(api.requests).toEqual([]);
  });
});

describe("deliveries show", () => {
  test("prints the delivery and its attempt log", async () => {
    const { ctx, stdout } = withApi({
      "GET /api/admin/deliveries/dlv_b": () =>
        json(200, {
          ...LIST[1],
          attempts: [
            {
              id: "att_1",
              trigger: "scheduled",
              startedAt: "2026-05-31T23:00:00.000Z",
              durationMs: 15000,
              statusCode: null,
              responseBody: null,
              error: "timed out",
            },
            {
              id: "att_2",
              trigger: "manual",
              startedAt: "2026-05-31T23:30:00.000Z",
              durationMs: 12,
              statusCode: 503,
              responseBody: "Service Unavailable\n<html>…",
              error: null,
            },
          ],
        }),
    });
    expect(await runCli(["deliveries", "show", "dlv_b"], ctx)).toBe(0);
    expect(stdout).toEqual([
      "delivery  dlv_b",
      "event     evt_1",
      "webhook   int_1",
      "status    pending",
      "next      in 5m",
      "",
      "TIME                      TRIGGER    STATUS  DURATION  ERROR      RESPONSE",
      "2026-05-31T23:00:00.000Z  scheduled  -       15000 ms  timed out  -",
      "2026-05-31T23:30:00.000Z  manual     503     12 ms     -          Service Unavailable",
    ]);
  });

  test("an unknown delivery exits 1; a wrong prefix is a usage error", async () => {
    const { ctx, stderr } = withApi({
      "GET /api/admin/deliveries/dlv_9": () =>
        apiError(404, "NOT_FOUND", 'Delivery "dlv_9" not found', "req_9"),
    });
    expect(await runCli(["deliveries", "show", "dlv_9"], ctx)).toBe(1);
    expect(stderr).toEqual(['error: Delivery "dlv_9" not found (NOT_FOUND, request req_9)']);
    expect(await runCli(["deliveries", "show", "evt_1"], ctx)).toBe(2);
  });
});

describe("deliveries retry", () => {
  test("posts the retry and prints the id and the new status", async () => {
    const { ctx, stdout, api } = withApi({
      "POST /api/admin/deliveries/dlv_c/retry": () =>
        json(202, { ...LIST[2], status: "pending", nextAttemptAt: "2026-06-01T00:00:00.000Z" }),
    });
    expect(await runCli(["deliveries", "retry", "dlv_c"], ctx)).toBe(0);
    expect(stdout).toEqual(["dlv_c pending"]);
    expect(api.requests[0]?.method).toBe("POST");
  });

  test("--json prints the delivery", async () => {
    const { ctx, stdout } = withApi({
      "POST /api/admin/deliveries/dlv_c/retry": () => json(202, { ...LIST[2], status: "pending" }),
    });
    expect(await runCli(["deliveries", "retry", "dlv_c", "--json"], ctx)).toBe(0);
    expect(JSON.parse(stdout.join("\n"))).toMatchObject({ id: "dlv_c", status: "pending" });
  });

  test("an unknown delivery exits 1", async () => {
    const { ctx, stdout } = withApi({
      "POST /api/admin/deliveries/dlv_9/retry": () => apiError(404, "NOT_FOUND", "not found"),
    });
    expect(await runCli(["deliveries", "retry", "dlv_9"], ctx)).toBe(1);
    expect(stdout).toEqual([]);
  });
});

describe("event list and replay", () => {
  test("list prints the newest events", async () => {
    const { ctx, stdout } = withApi({
      "GET /api/admin/events": () =>
        json(200, {
          data: [
            {
              id: "evt_2",
              type: "message.received",
              channelId: "ch_1",
              messageId: "msg_1",
              createdAt: "2026-05-31T23:00:00.000Z",
              envelope: {},
            },
          ],
          nextCursor: null,
        }),
    });
    expect(await runCli(["event", "list"], ctx)).toBe(0);
    expect(stdout).toEqual([
      "ID     TYPE              CHANNEL  MESSAGE  CREATED",
      "evt_2  message.received  ch_1     msg_1    2026-05-31T23:00:00.000Z",
    ]);
  });

  test("replay prints how many deliveries were created, then each one", async () => {
    const { ctx, stdout, api } = withApi({
      "POST /api/admin/events/evt_1/replay": () =>
        json(202, {
          eventId: "evt_1",
          deliveries: [
            { id: "dlv_x", webhookId: "int_1" },
            { id: "dlv_y", webhookId: "int_2" },
          ],
        }),
    });
    expect(await runCli(["event", "replay", "evt_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["2 deliveries created", "dlv_x int_1", "dlv_y int_2"]);
    expect(api.requests[0]?.method).toBe("POST");
  });

  test("replay with no targets today says 0; a test event is refused with exit 1", async () => {
    const { ctx, stdout, stderr } = withApi({
      "POST /api/admin/events/evt_1/replay": () => json(202, { eventId: "evt_1", deliveries: [] }),
      "POST /api/admin/events/evt_t/replay": () =>
        json(400, {
          error: "VALIDATION_ERROR",
          message: "Invalid payload",
          details: [{ path: "", message: "Test events are not replayed" }],
          requestId: "req_t",
        }),
    });
    expect(await runCli(["event", "replay", "evt_1"], ctx)).toBe(0);
    expect(stdout).toEqual(["0 deliveries created"]);
    expect(await runCli(["event", "replay", "evt_t"], ctx)).toBe(1);
    expect(stderr[0]).toBe("error: Invalid payload (VALIDATION_ERROR, request req_t)");
    expect(await runCli(["event", "replay", "dlv_1"], ctx)).toBe(2);
  });
});
