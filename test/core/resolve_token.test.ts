import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import type {
  Channel,
  Company,
  CustomIntegration,
  TokenRecord,
  TokenStatus,
} from "../../core/domain.ts";
import { ERROR_CATALOGUE, errorBody } from "../../core/errors.ts";
import type { TokenMatch, TokenStore } from "../../core/ports/token_store.ts";
import {
  resolveToken,
  SAFE_NO_PERMISSION_MESSAGE,
  type TokenResolution,
} from "../../core/resolve_token.ts";
import { generateToken, hashToken } from "../../core/tokens.ts";
import { seededRandomBytes } from "../arbitraries/ids_arbs.ts";
import { authorizationHeaderArb, bearerSchemeArb } from "../arbitraries/tokens_arbs.ts";

const NOW = Date.parse("2025-06-01T12:00:00Z");
const PAST = new Date(NOW - 1000);
const FUTURE = new Date(NOW + 1000);

/** A TokenStore over a map, recording every hash it is asked for. */
class MemoryTokenStore implements TokenStore {
  readonly lookups: string[] = [];
  readonly #byHash = new Map<string, TokenMatch>();

  put(match: TokenMatch): void {
    this.#byHash.set(match.token.hash, match);
  }

  findTokenByHash(hash: string): Promise<TokenMatch | null> {
    this.lookups.push(hash);
    return Promise.resolve(this.#byHash.get(hash) ?? null);
  }
}

interface Setup {
  status?: TokenStatus;
  tokenExpiresAt?: Date | null;
  integrationExpiresAt?: Date | null;
  enabled?: boolean;
  channel?: "live" | "soft-deleted" | "gone";
}

let seed = 1;
const company: Company = { id: "co_1", name: "Acme", createdAt: new Date(0) };

/** Issues a token into `store` with the given state and returns it. */
async function issue(store: MemoryTokenStore, setup: Setup = {}): Promise<string> {
  const n = seed++;
  const token = generateToken(seededRandomBytes(n));
  const hash = await hashToken(token);
  const channel: Channel = {
    id: `ch_${n}`,
    companyId: company.id,
    type: "sms",
    provider: "sandbox",
    name: "Support line",
    address: "+15550001111",
    config: {},
    credits: null,
    createdAt: new Date(0),
    deletedAt: setup.channel === "soft-deleted" ? PAST : null,
  };
  const integration: CustomIntegration = {
    id: `int_${n}`,
    companyId: company.id,
    name: "CRM",
    enabled: setup.enabled ?? true,
    createdAt: new Date(0),
    updatedAt: new Date(0),
    kind: "custom",
    channelId: channel.id,
    tokenPrefix: token.slice(3, 11),
    tokenCreatedAt: new Date(0),
    rotatedAt: null,
    lastUsedAt: null,
    expiresAt: setup.integrationExpiresAt ?? null,
    rateLimit: null,
  };
  const record: TokenRecord = {
    hash,
    integrationId: integration.id,
    status: setup.status ?? "active",
    createdAt: new Date(0),
    expiresAt: setup.tokenExpiresAt ?? null,
  };
  store.put({
    token: record,
    integration,
    company,
    channel: setup.channel === "gone" ? null : channel,
  });
  return token;
}

async function resolve(store: MemoryTokenStore, header: string | null | undefined) {
  return resolveToken(header, { store, now: NOW });
}

function reasonOf(result: TokenResolution): string {
  return result.ok ? "ok" : result.reason;
}

describe("resolveToken()", () => {
  test("resolves an active token to its company, channel and integration", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { tokenExpiresAt: FUTURE, integrationExpiresAt: FUTURE });
    const result = await resolve(store, `Bearer ${token}`);
    if (!result.ok) throw new Error(`expected ok, got ${result.reason}`);
    expect(result.company).toBe(company);
    expect(result.integration.channelId).toBe(result.channel.id);
    expect(result.tokenHash).toBe(await hashToken(token));
  });

  test("refuses a missing header without asking the store", async () => {
    const store = new MemoryTokenStore();
    for (const header of [null, undefined, ""]) {
      expect(await resolve(store, header)).toEqual({
        ok: false,
        code: "ERR_NO_PERMISSION",
        reason: "missing",
      });
    }
    expect(store.lookups).toEqual([]);
  });

  test("refuses a malformed header or token without asking the store", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store);
    for (const header of [
      `Basic ${token}`,
      `Bearer ${token} extra`,
      "Bearer",
      "Bearer se_short",
      `Bearer ${token.slice(3)}`,
      `Bearer ${token}!`,
    ]) {
      expect(reasonOf(await resolve(store, header))).toBe("malformed");
    }
    expect(store.lookups).toEqual([]);
  });

  test("refuses an unknown token", async () => {
    const store = new MemoryTokenStore();
    await issue(store);
    const stranger = generateToken(seededRandomBytes(999_999));
    expect(reasonOf(await resolve(store, `Bearer ${stranger}`))).toBe("unknown");
    expect(store.lookups).toEqual([await hashToken(stranger)]);
  });

  test("refuses a rotated token", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { status: "rotated" });
    expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe("rotated");
  });

  test("refuses a revoked token", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { status: "revoked" });
    expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe("revoked");
  });

  test("refuses a token past its own expiry", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { tokenExpiresAt: PAST });
    expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe("expired");
  });

  test("refuses a token whose integration has expired", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { integrationExpiresAt: new Date(NOW) });
    expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe("expired");
  });

  test("refuses a token of a disabled integration", async () => {
    const store = new MemoryTokenStore();
    const token = await issue(store, { enabled: false });
    expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe("disabled");
  });

  test("answers CHANNEL_NOT_FOUND when the channel was soft-deleted or removed", async () => {
    const store = new MemoryTokenStore();
    for (const channel of ["soft-deleted", "gone"] as const) {
      const token = await issue(store, { channel });
      expect(await resolve(store, `Bearer ${token}`)).toEqual({
        ok: false,
        code: "CHANNEL_NOT_FOUND",
        reason: "channel_deleted",
      });
    }
  });

  test("reports the first failing check: rotated/revoked, expired, disabled, channel", async () => {
    const store = new MemoryTokenStore();
    const cases: Array<[Setup, string]> = [
      [{ status: "rotated", tokenExpiresAt: PAST, enabled: false, channel: "gone" }, "rotated"],
      [{ status: "revoked", integrationExpiresAt: PAST, enabled: false }, "revoked"],
      [{ tokenExpiresAt: PAST, enabled: false, channel: "soft-deleted" }, "expired"],
      [{ integrationExpiresAt: PAST, enabled: false }, "expired"],
      [{ enabled: false, channel: "gone" }, "disabled"],
    ];
    for (const [setup, reason] of cases) {
      const token = await issue(store, setup);
      expect(reasonOf(await resolve(store, `Bearer ${token}`))).toBe(reason);
    }
  });

  test("every refusal answers with the same 401 body", async () => {
    const store = new MemoryTokenStore();
    const headers = [
      null,
      "Basic x",
      `Bearer ${generateToken(seededRandomBytes(123_456))}`,
      `Bearer ${await issue(store, { status: "rotated" })}`,
      `Bearer ${await issue(store, { status: "revoked" })}`,
      `Bearer ${await issue(store, { tokenExpiresAt: PAST })}`,
      `Bearer ${await issue(store, { enabled: false })}`,
    ];
    const bodies = new Set<string>();
    const reasons = new Set<string>();
    for (const header of headers) {
      const result = await resolve(store, header);
      if (result.ok || result.code !== "ERR_NO_PERMISSION") throw new Error("expected a 401");
      reasons.add(result.reason);
      const reply = errorBody(result.code, {
        requestId: "req_x",
        message: SAFE_NO_PERMISSION_MESSAGE,
      });
      bodies.add(`${reply.status} ${JSON.stringify(reply.body)}`);
    }
    expect(reasons.size).toBe(headers.length);
    expect([...bodies]).toEqual([
      `401 ${JSON.stringify({ error: "ERR_NO_PERMISSION", message: SAFE_NO_PERMISSION_MESSAGE, requestId: "req_x" })}`,
    ]);
    expect(SAFE_NO_PERMISSION_MESSAGE).toBe(ERROR_CATALOGUE.ERR_NO_PERMISSION.message);
  });

  test("throws when the store joins rows that do not belong together", async () => {
    const mismatches: Array<(match: TokenMatch) => TokenMatch> = [
      (m) => ({ ...m, token: { ...m.token, hash: "0".repeat(64) } }),
      (m) => ({ ...m, token: { ...m.token, integrationId: "int_other" } }),
      (m) => ({ ...m, integration: { ...m.integration, companyId: "co_other" } }),
      (m) => ({ ...m, channel: { ...m.channel!, id: "ch_other" } }),
      (m) => ({ ...m, channel: { ...m.channel!, companyId: "co_other" } }),
    ];
    for (const mismatch of mismatches) {
      const inner = new MemoryTokenStore();
      const token = await issue(inner);
      const store: TokenStore = {
        async findTokenByHash(hash) {
          const match = await inner.findTokenByHash(hash);
          return match === null ? null : mismatch(match);
        },
      };
      await expect(resolveToken(`Bearer ${token}`, { store, now: NOW })).rejects.toThrow(
        /Cannot resolve token of integration/,
      );
    }
  });

  test("for any header, only a stored, active, live token resolves, and the store only sees hashes", async () => {
    const store = new MemoryTokenStore();
    const usable = new Set<string>();
    const setups: Setup[] = [
      {},
      { status: "rotated" },
      { status: "revoked" },
      { tokenExpiresAt: PAST },
      { integrationExpiresAt: PAST },
      { enabled: false },
      { channel: "soft-deleted" },
      { channel: "gone" },
      { tokenExpiresAt: FUTURE },
    ];
    const issued: string[] = [];
    for (const setup of setups) {
      const token = await issue(store, setup);
      issued.push(token);
      const live = Object.keys(setup).length === 0 || setup.tokenExpiresAt === FUTURE;
      if (live) usable.add(token);
    }
    const headerArb = fc.oneof(
      authorizationHeaderArb,
      fc.tuple(bearerSchemeArb, fc.constantFrom(...issued)).map(([s, t]) => `${s} ${t}`),
    );
    await fc.assert(
      fc.asyncProperty(headerArb, async (header) => {
        const before = store.lookups.length;
        const result = await resolve(store, header);
        const credential = header?.trim().split(/ +/)[1];
        if (result.ok) {
          expect(credential !== undefined && usable.has(credential)).toBe(true);
          expect(result.tokenHash).toBe(await hashToken(credential!));
        }
        for (const hash of store.lookups.slice(before)) expect(hash).toMatch(/^[0-9a-f]{64}$/);
        expect(store.lookups.length - before).toBeLessThanOrEqual(1);
      }),
      { numRuns: 500 },
    );
    // The property reached the interesting cases, not only garbage.
    for (const token of usable)
      expect(reasonOf(await resolve(store, `bEaReR ${token}`))).toBe("ok");
  });
});
