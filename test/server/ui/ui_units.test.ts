/**
 * The settings page's building blocks without a server: escaping, signed sessions, sealed
 * flashes, the cross-site check and the New integration form's own rules.
 */
import { describe, expect, test } from "bun:test";
import { crossSiteProblem } from "../../../server/ui/csrf.ts";
import { FlashBox } from "../../../server/ui/flash.ts";
import { escapeHtml, html } from "../../../server/ui/html.ts";
import { parseNewIntegration } from "../../../server/ui/new_integration_input.ts";
import { SessionCodec } from "../../../server/ui/session.ts";
import { deriveUiKeys } from "../../../server/ui/ui_keys.ts";

const keys = deriveUiKeys("secret-key-material");
const NOW = Date.parse("2025-06-01T00:00:00Z");

describe("html", () => {
  test("escapes every interpolated string, in text and in attributes", () => {
    const name = `"><script>alert('x')</script>`;
    const out = html`<a title="${name}">${name}</a>`.value;
    expect(out).not.toContain("<script>");
    expect(out).toBe(`<a title="${escapeHtml(name)}">${escapeHtml(name)}</a>`);
    expect(escapeHtml(`&<>"'\``)).toBe("&amp;&lt;&gt;&quot;&#39;&#96;");
  });

  test("keeps nested html fragments and joins arrays", () => {
    const items = ["<a>", "b"].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${items}</ul>`.value).toBe("<ul><li>&lt;a&gt;</li><li>b</li></ul>");
  });
});

describe("SessionCodec", () => {
  const codec = new SessionCodec(keys.session);

  test("a session survives encoding and is refused once expired", () => {
    const session = codec.create("operator", NOW);
    expect(codec.decode(codec.encode(session), NOW)).toEqual(session);
    expect(codec.decode(codec.encode(session), session.exp)).toBeNull();
  });

  test("a session signed with another key (another secret key) is refused", () => {
    const other = new SessionCodec(deriveUiKeys("another-secret").session);
    expect(codec.decode(other.encode(other.create("operator", NOW)), NOW)).toBeNull();
  });

  test("changing the operator key signs every session out", () => {
    const before = new SessionCodec(deriveUiKeys("s", { operatorKey: "old-key" }).session);
    const after = new SessionCodec(deriveUiKeys("s", { operatorKey: "new-key" }).session);
    expect(after.decode(before.encode(before.create("operator", NOW)), NOW)).toBeNull();
  });

  test("the CSRF token is bound to the session", () => {
    const a = codec.create("operator", NOW);
    const b = codec.create("operator", NOW);
    expect(codec.checkCsrf(a, codec.csrfToken(a))).toBe(true);
    expect(codec.checkCsrf(a, codec.csrfToken(b))).toBe(false);
    expect(codec.checkCsrf(a, null)).toBe(false);
  });
});

describe("FlashBox", () => {
  const box = new FlashBox(keys.flash);
  const flash = { secret: { integrationId: "int_1", kind: "token" as const, value: "se_abc" } };

  test("opens only for its session and only for two minutes", () => {
    const sealed = box.seal(flash, "sid-1", NOW);
    expect(sealed).not.toContain("se_abc");
    expect(box.open(sealed, "sid-1", NOW + 1000)).toEqual(flash);
    expect(box.open(sealed, "sid-2", NOW)).toBeNull();
    expect(box.open(sealed, "sid-1", NOW + 2 * 60 * 1000)).toBeNull();
    expect(box.open(`${sealed.slice(0, -2)}AA`, "sid-1", NOW)).toBeNull();
  });
});

describe("crossSiteProblem", () => {
  const post = (headers: Record<string, string>) =>
    new Request("http://localhost:3000/settings/integrations", { method: "POST", headers });
  const publicUrl = "https://sendeasy.example.com";

  test("accepts this site, and the public URL behind a proxy", () => {
    const same = { origin: "http://localhost:3000", "sec-fetch-site": "same-origin" };
    expect(crossSiteProblem(post(same), { publicUrl })).toBeNull();
    expect(crossSiteProblem(post({ origin: publicUrl }), { publicUrl })).toBeNull();
  });

  test("refuses another site, same-site subdomains and a null origin", () => {
    expect(crossSiteProblem(post({ "sec-fetch-site": "same-site" }), { publicUrl })).not.toBeNull();
    expect(
      crossSiteProblem(post({ origin: "https://evil.example" }), { publicUrl }),
    ).not.toBeNull();
    expect(crossSiteProblem(post({ origin: "null" }), { publicUrl })).not.toBeNull();
  });

  test("sign-in needs the browser to say where the form came from", () => {
    expect(crossSiteProblem(post({}), { publicUrl })).toBeNull();
    expect(crossSiteProblem(post({}), { publicUrl, requireBrowserSignal: true })).not.toBeNull();
  });
});

describe("parseNewIntegration", () => {
  const channels = [
    {
      id: "ch_sms",
      type: "sms" as const,
      provider: "sandbox" as const,
      name: "SMS",
      address: "+1555",
    },
  ];
  const form = (fields: Record<string, string>) => new URLSearchParams(fields);

  test("a general webhook needs no channel; a blank bearer token is left out", () => {
    const parsed = parseNewIntegration(
      form({
        name: "CRM",
        kind: "webhook",
        scope: "general",
        url: "https://x.example",
        bearerToken: " ",
      }),
      channels,
    );
    expect(parsed).toMatchObject({
      ok: true,
      input: { kind: "webhook", scope: "general", url: "https://x.example" },
    });
    expect(parsed.ok && "bearerToken" in parsed.input).toBe(false);
  });

  test("a custom token needs a type and an instance of that type", () => {
    const noType = parseNewIntegration(form({ name: "App", kind: "custom" }), channels);
    expect(noType.ok ? null : noType.errors.type).toContain("choose WhatsApp, Email or SMS");
    const ok = parseNewIntegration(
      form({ name: "App", kind: "custom", type: "sms", channelId: "ch_sms" }),
      channels,
    );
    expect(ok).toMatchObject({ ok: true, input: { kind: "custom", channelId: "ch_sms" } });
  });

  test("every unanswered step is reported at once", () => {
    const parsed = parseNewIntegration(form({ kind: "webhook" }), channels);
    expect(parsed.ok ? [] : Object.keys(parsed.errors).sort()).toEqual(["name", "scope", "url"]);
  });
});
