import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { CHANNEL_TYPES, type Message, type MessageStatus } from "../../core/domain.ts";
import {
  alreadyApplied,
  applyStatusChange,
  canFollow,
  type StatusReport,
} from "../../core/message_status.ts";
import {
  anyReportsArb,
  queuedMessageArb,
  reportsOfOneLifecycleArb,
} from "../arbitraries/message_status_arbs.ts";

const STATUSES: MessageStatus[] = ["queued", "sent", "delivered", "read", "failed", "received"];

/** The rule written as the list of moves it allows, independently of the implementation. */
const ALLOWED_EVERYWHERE = new Set([
  "queued>sent",
  "queued>delivered",
  "queued>read",
  "sent>delivered",
  "sent>read",
  "delivered>read",
  "queued>failed",
  "sent>failed",
]);
const ALLOWED_ON_EMAIL_TOO = new Set(["delivered>failed", "read>failed"]);

/** Where each status stands when events are compared: a failure ends everything. */
const EVENT_RANK: Record<MessageStatus, number> = {
  queued: 0,
  sent: 1,
  delivered: 2,
  read: 3,
  failed: 4,
  received: 0,
};

/** Applies the reports one at a time, as a store does; the statuses that applied, in order. */
function applyAll(message: Message, reports: readonly StatusReport[]) {
  let current = message;
  const emitted: MessageStatus[] = [];
  for (const report of reports) {
    const outcome = applyStatusChange(current, report);
    if (outcome.applied) emitted.push(report.status);
    current = outcome.message;
  }
  return { message: current, emitted };
}

describe("canFollow()", () => {
  test("allows exactly the forward moves, a failure from queued or sent, and on email a late failure", () => {
    for (const type of CHANNEL_TYPES) {
      for (const current of STATUSES) {
        for (const next of STATUSES) {
          const move = `${current}>${next}`;
          const expected =
            ALLOWED_EVERYWHERE.has(move) || (type === "email" && ALLOWED_ON_EMAIL_TOO.has(move));
          expect({ type, move, allowed: canFollow(current, next, type) }).toEqual({
            type,
            move,
            allowed: expected,
          });
        }
      }
    }
  });
});

describe("applyStatusChange()", () => {
  test("every arrival order of the reports of one lifecycle ends in the same status: the furthest reported", () => {
    fc.assert(
      fc.property(reportsOfOneLifecycleArb, ({ message, lifecycle, arrivals }) => {
        const [first, second] = arrivals.map((reports) => applyAll(message, reports));
        const reached = arrivals[0].map((report) => lifecycle.indexOf(report.status as never));
        const furthest = reached.length === 0 ? "queued" : lifecycle[Math.max(...reached)];
        expect(first?.message.status).toBe(furthest as MessageStatus);
        expect(second?.message.status).toBe(furthest as MessageStatus);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  test("no event is ever emitted for a status below one already emitted, and none after a failure", () => {
    fc.assert(
      fc.property(anyReportsArb, ({ message, reports }) => {
        const { emitted } = applyAll(message, reports);
        const ranks = emitted.map((status) => EVENT_RANK[status]);
        for (let i = 1; i < ranks.length; i++) {
          expect(ranks[i]!).toBeGreaterThan(ranks[i - 1]!);
        }
        expect(emitted.indexOf("failed")).toBeOneOf([-1, emitted.length - 1]);
      }),
      { numRuns: 500 },
    );
  }, 30_000);

  test("every report lands in the history once, marked when it did not apply; nothing else changes then", () => {
    fc.assert(
      fc.property(anyReportsArb, ({ message, reports }) => {
        const before = structuredClone(message);
        let current = message;
        for (const report of reports) {
          const { applied, message: next } = applyStatusChange(current, report);
          expect(next.history).toHaveLength(current.history.length + 1);
          const entry = next.history.at(-1);
          expect(entry?.status).toBe(report.status);
          // In time order: at the report's time, or the last entry's when that is later.
          const last = current.history.at(-1)?.at ?? current.updatedAt;
          expect(entry?.at.getTime()).toBe(Math.max(report.at.getTime(), last.getTime()));
          if (applied) {
            expect(entry?.applied).toBeUndefined();
            expect(next.status).toBe(report.status);
            expect(next.updatedAt).toEqual(entry?.at as Date);
          } else {
            expect(entry?.applied).toBe(false);
            expect({ ...next, history: current.history }).toEqual(current);
          }
          current = next;
        }
        expect(message).toEqual(before);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  test("an applied failure sets the message's error: the report's, or its reason as the code", () => {
    fc.assert(
      fc.property(queuedMessageArb, fc.boolean(), (message, withError) => {
        const at = new Date(Date.UTC(2025, 5, 1));
        const report: StatusReport = withError
          ? {
              status: "failed",
              at,
              reason: "30003",
              error: { code: "30003", message: "Unreachable" },
            }
          : { status: "failed", at, reason: "30003" };
        const { applied, message: failed } = applyStatusChange(message, report);
        expect(applied).toBe(true);
        expect(failed.error?.code).toBe("30003");
        expect(failed.error?.message).toBe(
          withError ? "Unreachable" : `${message.provider} reported the message as failed`,
        );
      }),
    );
  });

  test("a read message goes back to delivered never, and a failed one to delivered never", () => {
    const at = new Date(Date.UTC(2025, 0, 1));
    const base = fc.sample(queuedMessageArb, 1)[0]!;
    const sms = { ...base, channelType: "sms" as const };
    const read = applyAll(sms, [
      { status: "sent", at },
      { status: "read", at },
      { status: "delivered", at },
    ]).message;
    expect(read.status).toBe("read");
    const failed = applyAll(sms, [
      { status: "sent", at },
      { status: "failed", at },
      { status: "delivered", at },
    ]).message;
    expect(failed.status).toBe("failed");
    expect(failed.history.map((h) => h.applied ?? true)).toEqual([true, true, true, false]);
  });
});

describe("alreadyApplied()", () => {
  test("is true for the current status and every applied one, never for one kept as not applied", () => {
    const at = new Date(Date.UTC(2025, 0, 1));
    const base = fc.sample(queuedMessageArb, 1)[0]!;
    const sms = { ...base, channelType: "sms" as const };
    const { message } = applyAll(sms, [
      { status: "sent", at },
      { status: "read", at },
      { status: "delivered", at },
    ]);
    expect(alreadyApplied(message, "read")).toBe(true);
    expect(alreadyApplied(message, "sent")).toBe(true);
    expect(alreadyApplied(message, "delivered")).toBe(false);
    expect(alreadyApplied(message, "failed")).toBe(false);
  });
});
