/**
 * Signed, stateless sessions of the settings page. The cookie holds who signed in (the
 * operator or one company), the company the operator acts on, a random session id and an
 * expiry, signed with HMAC-SHA256: never the admin key itself. Any instance holding the same
 * secret key verifies it, so sessions survive restarts and work behind a load balancer.
 *
 * @module
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** README.md#settings--integrations-page leaves the lifetime open: a working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** What a session says. */
export interface UiSession {
  /** `"operator"`, or the id of the company whose admin key signed in. */
  owner: string;
  /** The company an operator acts on; `null` is the default company. */
  companyId: string | null;
  /** Random per sign-in; the CSRF token and flash messages are bound to it. */
  sid: string;
  /** Expiry, epoch milliseconds. */
  exp: number;
}

const VERSION = "v1";

/** Issues and verifies session cookie values, and the CSRF token bound to each session. */
export class SessionCodec {
  readonly #key: Buffer;
  readonly #ttlMs: number;

  constructor(key: Buffer, options: { ttlMs?: number } = {}) {
    this.#key = key;
    this.#ttlMs = options.ttlMs ?? SESSION_TTL_MS;
  }

  /** The session lifetime, for the cookie's `Max-Age`. */
  get ttlMs(): number {
    return this.#ttlMs;
  }

  /** A new session for `owner`, expiring `ttlMs` from `now`. */
  create(owner: string, now: number): UiSession {
    return {
      owner,
      companyId: null,
      sid: randomBytes(16).toString("base64url"),
      exp: now + this.#ttlMs,
    };
  }

  /** The cookie value of a session: `v1.<payload>.<mac>`. */
  encode(session: UiSession): string {
    const payload = Buffer.from(JSON.stringify(session)).toString("base64url");
    return `${VERSION}.${payload}.${this.#mac(`${VERSION}.${payload}`)}`;
  }

  /** The session in a cookie value, or null when it is malformed, forged or expired. */
  decode(value: string | null, now: number): UiSession | null {
    if (value === null) return null;
    const [version, payload, mac] = value.split(".");
    if (version !== VERSION || payload === undefined || mac === undefined) return null;
    if (!sameText(mac, this.#mac(`${VERSION}.${payload}`))) return null;
    const session = parseSession(payload);
    return session !== null && session.exp > now ? session : null;
  }

  /** The session's CSRF token, derived rather than stored: no server-side state. */
  csrfToken(session: UiSession): string {
    return this.#mac(`csrf.${session.sid}`);
  }

  /** Whether a submitted form carries this session's CSRF token. */
  checkCsrf(session: UiSession, given: string | null): boolean {
    return given !== null && sameText(given, this.csrfToken(session));
  }

  #mac(text: string): string {
    return createHmac("sha256", this.#key).update(text).digest("base64url");
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function parseSession(payload: string): UiSession | null {
  try {
    const value = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as unknown;
    if (typeof value !== "object" || value === null) return null;
    const { owner, companyId, sid, exp } = value as Record<string, unknown>;
    if (typeof owner !== "string" || typeof sid !== "string" || typeof exp !== "number")
      return null;
    if (companyId !== null && typeof companyId !== "string") return null;
    return { owner, companyId, sid, exp };
  } catch {
    // A correctly signed payload is always valid JSON; this is a forgery or an old format.
    return null;
  }
}
