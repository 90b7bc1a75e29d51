import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import {
  checkWhatsAppWindow,
  WHATSAPP_WINDOW_MS,
  windowEnforced,
} from "../../core/whatsapp_window.ts";
import { nowArb, sinceInboundArb, windowCaseArb } from "../arbitraries/whatsapp_window_arbs.ts";

const HOUR = 60 * 60 * 1000;

function verdict(c: {
  now: number;
  since: number | null;
  content: "message" | "template";
  enforce: boolean;
}) {
  const lastInboundAt = c.since === null ? null : new Date(c.now - c.since);
  return checkWhatsAppWindow(c.content, { enforce: c.enforce, lastInboundAt, now: c.now });
}

describe("checkWhatsAppWindow()", () => {
  test("a template is always allowed, whatever the window", () => {
    fc.assert(
      fc.property(windowCaseArb, (c) => {
        expect(verdict({ ...c, content: "template" })).toEqual({ ok: true });
      }),
    );
  });

  test("a channel that does not enforce the window allows free text to anyone", () => {
    fc.assert(
      fc.property(windowCaseArb, (c) => {
        expect(verdict({ ...c, enforce: false })).toEqual({ ok: true });
      }),
    );
  });

  test("free text is allowed exactly when the contact wrote less than 24 hours ago", () => {
    fc.assert(
      fc.property(nowArb, fc.option(sinceInboundArb, { nil: null }), (now, since) => {
        const result = verdict({ now, since, content: "message", enforce: true });
        const open = since !== null && since < 24 * HOUR;
        expect(result.ok).toBe(open);
        if (!result.ok) {
          expect(result.code).toBe("WHATSAPP_WINDOW_CLOSED");
          expect(result.lastInboundAt).toEqual(since === null ? null : new Date(now - since));
        }
      }),
    );
  });

  test("a window once closed stays closed as time passes, until the contact writes again", () => {
    fc.assert(
      fc.property(windowCaseArb, fc.integer({ min: 0, max: 10 * 24 * HOUR }), (c, later) => {
        const lastInboundAt = c.since === null ? null : new Date(c.now - c.since);
        const before = checkWhatsAppWindow("message", { enforce: true, lastInboundAt, now: c.now });
        const after = checkWhatsAppWindow("message", {
          enforce: true,
          lastInboundAt,
          now: c.now + later,
        });
        if (!before.ok) expect(after.ok).toBe(false);
      }),
    );
  });

  test("a newer inbound message never closes a window an older one kept open", () => {
    fc.assert(
      fc.property(
        nowArb,
        sinceInboundArb,
        fc.integer({ min: 0, max: 2 * 24 * HOUR }),
        (now, since, newer) => {
          const older = new Date(now - since);
          const recent = new Date(older.getTime() + newer);
          const a = checkWhatsAppWindow("message", { enforce: true, lastInboundAt: older, now });
          const b = checkWhatsAppWindow("message", { enforce: true, lastInboundAt: recent, now });
          if (a.ok) expect(b.ok).toBe(true);
        },
      ),
    );
  });

  test("the edge: 24 hours to the millisecond is closed, a millisecond less is open", () => {
    const now = Date.UTC(2026, 5, 1, 12);
    const at = (ms: number) =>
      checkWhatsAppWindow("message", { enforce: true, lastInboundAt: new Date(now - ms), now }).ok;
    expect(WHATSAPP_WINDOW_MS).toBe(24 * HOUR);
    expect(at(24 * HOUR - 1)).toBe(true);
    expect(at(24 * HOUR)).toBe(false);
  });
});

describe("windowEnforced()", () => {
  test("defaults to true for meta and twilio, false for the sandbox; the config wins", () => {
    expect(windowEnforced("meta", {})).toBe(true);
    expect(windowEnforced("twilio", {})).toBe(true);
    expect(windowEnforced("sandbox", {})).toBe(false);
    expect(windowEnforced("meta", { enforceWindow: false })).toBe(false);
    expect(windowEnforced("sandbox", { enforceWindow: true })).toBe(true);
  });
});
