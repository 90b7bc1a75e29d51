import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  DEFAULT_FAILING_WINDOW_MS,
  DEFAULT_RETRY_SCHEDULE_SECONDS,
  disableDecision,
  nextRetryDelay,
  parseRetryAfter,
  parseRetrySchedule,
} from "../../core/retry_schedule.ts";
import {
  growingScheduleArb,
  otherStatusArb,
  retryAfterSecondsArb,
  scheduleArb,
  throttlingStatusArb,
  unitArb,
} from "../arbitraries/retry_schedule_arbs.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

/** A schedule with an attempt inside it: [schedule, attempt]. */
const scheduledAttemptArb = scheduleArb.chain((schedule) =>
  fc.tuple(fc.constant(schedule), fc.integer({ min: 1, max: schedule.length })),
);

describe("DEFAULT_RETRY_SCHEDULE_SECONDS", () => {
  test("is docs/api.md#webhooks: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h", () => {
    expect([...DEFAULT_RETRY_SCHEDULE_SECONDS]).toEqual([
      5,
      5 * 60,
      30 * 60,
      2 * 3600,
      5 * 3600,
      10 * 3600,
      10 * 3600,
    ]);
  });

  test("cannot be changed by a caller", () => {
    expect(Object.isFrozen(DEFAULT_RETRY_SCHEDULE_SECONDS)).toBe(true);
  });

  test("parses from its own text form (the env default)", () => {
    expect(parseRetrySchedule("5,300,1800,7200,18000,36000,36000")).toEqual({
      ok: true,
      schedule: [...DEFAULT_RETRY_SCHEDULE_SECONDS],
    });
  });
});

describe("parseRetrySchedule()", () => {
  test.each([
    ["5", [5]],
    [" 0.05 , 0.1,.5 ", [0.05, 0.1, 0.5]],
    ["1,1,1", [1, 1, 1]],
  ])("reads %p", (text, schedule) => {
    expect(parseRetrySchedule(text)).toEqual({ ok: true, schedule });
  });

  test.each([
    "",
    "   ",
    "5,,300",
    "5,",
    ",5",
    "abc",
    "-5",
    "0",
    "0.0",
    "1e3",
    "Infinity",
    "1.",
    "5;300",
    "0x10",
  ])("refuses %p", (text) => {
    const result = parseRetrySchedule(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toStartWith("Cannot parse retry schedule");
  });

  test("names the bad entry by position", () => {
    expect(parseRetrySchedule("5, 300, soon")).toEqual({
      ok: false,
      message:
        'Cannot parse retry schedule "5, 300, soon": entry 3 ("soon") is not a positive number of seconds',
    });
  });

  test("reads back any schedule written comma-separated", () => {
    fc.assert(
      fc.property(scheduleArb, fc.constantFrom(",", ", ", " , "), (schedule, separator) => {
        expect(parseRetrySchedule(schedule.join(separator))).toEqual({ ok: true, schedule });
      }),
    );
  });
});

describe("nextRetryDelay()", () => {
  const schedule = DEFAULT_RETRY_SCHEDULE_SECONDS;

  test("waits the scheduled delay at the mid-point of the jitter", () => {
    const delays = schedule.map((_, i) => nextRetryDelay(i + 1, { schedule, random: () => 0.5 }));
    expect(delays).toEqual(schedule.map((seconds) => seconds * 1000));
  });

  test("jitters by 20 % either way", () => {
    expect(nextRetryDelay(2, { schedule, random: () => 0 })).toBe(240_000);
    expect(nextRetryDelay(2, { schedule, random: () => 0.75 })).toBeCloseTo(330_000, 6);
    expect(nextRetryDelay(2, { schedule, random: () => 0.999_999 })).toBeLessThan(360_000);
  });

  test("gives up after the last scheduled retry", () => {
    expect(nextRetryDelay(7, { schedule, random: () => 0.5 })).toBe(36_000_000);
    expect(nextRetryDelay(8, { schedule, random: () => 0.5 })).toBeNull();
    expect(nextRetryDelay(100, { schedule, random: () => 0.5 })).toBeNull();
  });

  test.each([0, -1, 1.5, Number.NaN])("throws on attempt %p", (attempt) => {
    expect(() => nextRetryDelay(attempt, { schedule, random: () => 0.5 })).toThrow(RangeError);
  });

  test("honours Retry-After on 429/502/503/504 between the jittered delay and twice the schedule", () => {
    const options = { schedule: [300], random: () => 0.5 };
    expect(nextRetryDelay(1, { ...options, status: 429, retryAfterSeconds: 500 })).toBe(500_000);
    expect(nextRetryDelay(1, { ...options, status: 503, retryAfterSeconds: 5000 })).toBe(600_000);
    expect(nextRetryDelay(1, { ...options, status: 502, retryAfterSeconds: 1 })).toBe(300_000);
    expect(nextRetryDelay(1, { ...options, status: 504, retryAfterSeconds: 0 })).toBe(300_000);
  });

  test("ignores Retry-After on other statuses and without a status", () => {
    const options = { schedule: [300], random: () => 0.5, retryAfterSeconds: 500 };
    expect(nextRetryDelay(1, { ...options, status: 500 })).toBe(300_000);
    expect(nextRetryDelay(1, options)).toBe(300_000);
  });

  test("every delay lies within [0.8, 1.2] × the scheduled one", () => {
    fc.assert(
      fc.property(scheduledAttemptArb, unitArb, ([schedule, attempt], r) => {
        const scheduledMs = schedule[attempt - 1]! * 1000;
        const delay = nextRetryDelay(attempt, { schedule, random: () => r });
        expect(delay).toBeGreaterThanOrEqual(scheduledMs * 0.8);
        expect(delay).toBeLessThanOrEqual(scheduledMs * 1.2);
      }),
    );
  });

  test("delays grow with the attempt number (at equal jitter)", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constant([...DEFAULT_RETRY_SCHEDULE_SECONDS]), growingScheduleArb),
        unitArb,
        (schedule, r) => {
          for (let attempt = 1; attempt < schedule.length; attempt++) {
            const now = nextRetryDelay(attempt, { schedule, random: () => r })!;
            const next = nextRetryDelay(attempt + 1, { schedule, random: () => r })!;
            expect(next).toBeGreaterThanOrEqual(now);
          }
        },
      ),
    );
  });

  test("with Retry-After on a throttling status, waits at least it (up to 2×) and within [0.8, 2] × scheduled", () => {
    fc.assert(
      fc.property(
        scheduledAttemptArb,
        unitArb,
        throttlingStatusArb,
        retryAfterSecondsArb,
        ([schedule, attempt], r, status, retryAfterSeconds) => {
          const scheduledMs = schedule[attempt - 1]! * 1000;
          const delay = nextRetryDelay(attempt, {
            schedule,
            random: () => r,
            status,
            retryAfterSeconds,
          })!;
          expect(delay).toBeGreaterThanOrEqual(scheduledMs * 0.8);
          expect(delay).toBeLessThanOrEqual(scheduledMs * 2);
          expect(delay).toBeGreaterThanOrEqual(Math.min(retryAfterSeconds * 1000, scheduledMs * 2));
        },
      ),
    );
  });

  test("Retry-After on any other status changes nothing", () => {
    fc.assert(
      fc.property(
        scheduledAttemptArb,
        unitArb,
        otherStatusArb,
        retryAfterSecondsArb,
        ([schedule, attempt], r, status, retryAfterSeconds) => {
          expect(
            nextRetryDelay(attempt, { schedule, random: () => r, status, retryAfterSeconds }),
          ).toBe(nextRetryDelay(attempt, { schedule, random: () => r }));
        },
      ),
    );
  });

  test("is exhausted exactly after schedule.length retries", () => {
    fc.assert(
      fc.property(scheduleArb, fc.integer({ min: 1, max: 30 }), unitArb, (schedule, attempt, r) => {
        const delay = nextRetryDelay(attempt, { schedule, random: () => r });
        expect(delay === null).toBe(attempt > schedule.length);
      }),
    );
  });
});

describe("parseRetryAfter()", () => {
  const now = Date.UTC(2015, 9, 21, 7, 27, 0);

  test.each([
    ["120", 120],
    [" 7 ", 7],
    ["0", 0],
    ["Wed, 21 Oct 2015 07:28:00 GMT", 60],
    ["Wed, 21 Oct 2015 07:27:00 GMT", 0],
    ["Wed, 21 Oct 2015 07:00:00 GMT", 0],
  ])("reads %p as %i s", (header, seconds) => {
    expect(parseRetryAfter(header, now)).toBe(seconds);
  });

  test.each([null, "", "soon", "-5", "1.5", "1e3", "Wed, 99 Foo 2015"])(
    "reads %p as absent",
    (header) => {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    },
  );

  test("rounds a date a fraction of a second away up to a whole second", () => {
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now + 59_500)).toBe(1);
  });

  test("reads any future IMF-fixdate as the seconds until it", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000 }),
        fc.nat({ max: 10_000_000 }),
        (nowSeconds, wait) => {
          const header = new Date((nowSeconds + wait) * 1000).toUTCString();
          expect(parseRetryAfter(header, nowSeconds * 1000)).toBe(wait);
        },
      ),
    );
  });

  test("reads any delta-seconds as itself", () => {
    fc.assert(
      fc.property(fc.nat(), (seconds) =>
        expect(parseRetryAfter(String(seconds), now)).toBe(seconds),
      ),
    );
  });
});

describe("disableDecision()", () => {
  test("disables at once on 410 Gone", () => {
    expect(disableDecision({ status: 410, failingSince: null, now: 0 })).toBe("gone");
    expect(disableDecision({ status: 410, failingSince: 0, now: 1 })).toBe("gone");
  });

  test("disables a webhook failing for 5 days, not a moment before", () => {
    expect(DEFAULT_FAILING_WINDOW_MS).toBe(5 * DAY_MS);
    expect(disableDecision({ status: 500, failingSince: 1000, now: 1000 + 5 * DAY_MS })).toBe(
      "failing",
    );
    expect(disableDecision({ failingSince: 1000, now: 1000 + 5 * DAY_MS - 1 })).toBeNull();
  });

  test("keeps a webhook that is not failing", () => {
    expect(disableDecision({ status: 200, failingSince: null, now: 10 * DAY_MS })).toBeNull();
  });

  test("honours a custom window", () => {
    expect(disableDecision({ failingSince: 0, now: 60_000, failingWindowMs: 60_000 })).toBe(
      "failing",
    );
    expect(disableDecision({ failingSince: 0, now: 59_999, failingWindowMs: 60_000 })).toBeNull();
  });

  test("says failing exactly when the failure is at least the window old (without 410)", () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: 100 * DAY_MS }), { nil: null }),
        fc.nat({ max: 100 * DAY_MS }),
        fc.option(
          otherStatusArb.filter((status) => status !== 410),
          { nil: undefined },
        ),
        (failingSince, elapsed, status) => {
          const now = (failingSince ?? 0) + elapsed;
          const options =
            status === undefined ? { failingSince, now } : { failingSince, now, status };
          const expected = failingSince !== null && elapsed >= 5 * DAY_MS ? "failing" : null;
          expect(disableDecision(options)).toBe(expected);
        },
      ),
    );
  });
});
