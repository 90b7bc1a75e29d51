/**
 * The failures every real provider adapter answers alike (docs/api.md#errors: 502 `PROVIDER_ERROR`,
 * nothing charged twice): an answer that is not JSON, an API that never answers (cut off at
 * the provider timeout), an API that cannot be reached.
 */
import { expect, test } from "bun:test";
import type { FakeServer } from "../../support/fakes/fake_server.ts";
import { PROVIDER_TIMEOUT_MS } from "../../support/provider_server.ts";
import type { TestServer } from "../../support/test_server.ts";

/**
 * Registers the three tests; call inside the provider's errors `describe`. The getters are
 * read when a test runs, after the suite's `beforeAll` set things up.
 */
export function transportFailureTests(p: {
  /** `provider.name` in the error body, e.g. `"twilio"`. */
  provider: string;
  /** How test names call the API, e.g. `"a Twilio"`. */
  api: string;
  server: () => TestServer;
  fake: () => Pick<FakeServer, "answerNext">;
  /** A token of a working channel, and a body it accepts. */
  token: () => string;
  body: unknown;
  /** A channel of this provider whose `baseUrl` is `http://127.0.0.1:1` (nothing listens). */
  unreachableChannel: () => Promise<{ id: string }>;
  /** A non-JSON 5xx answer and the code the adapter reports for it. */
  nonJson: { status: number; text: string; code: string };
  /**
   * The code of an unreachable API (default `network_error`; the Resend SDK reports a failed
   * fetch as its own `application_error`).
   */
  unreachableCode?: string;
}): void {
  const unreachableCode = p.unreachableCode ?? "network_error";
  test(`a 5xx that is not JSON answers 502 ${p.nonJson.code}`, async () => {
    p.fake().answerNext({ status: p.nonJson.status, text: p.nonJson.text });
    const res = await p.server().send(p.token(), p.body);
    expect(res.status).toBe(502);
    expect(res.body.provider).toMatchObject({ name: p.provider, code: p.nonJson.code });
  });

  test(`${p.api} that never answers is cut off at the provider timeout: 502 timeout`, async () => {
    p.fake().answerNext("hang");
    const started = Date.now();
    const res = await p.server().send(p.token(), p.body);
    expect(res.status).toBe(502);
    expect(res.body.provider).toMatchObject({ name: p.provider, code: "timeout" });
    expect(Date.now() - started).toBeLessThan(PROVIDER_TIMEOUT_MS + 1500);
  });

  test(`an unreachable ${p.api.replace(/^an? /, "")} answers 502 ${unreachableCode}`, async () => {
    const t = p.server();
    const channel = await p.unreachableChannel();
    const res = await t.send((await t.token(channel.id)).token, p.body);
    expect(res.status).toBe(502);
    expect(res.body.provider).toMatchObject({ name: p.provider, code: unreachableCode });
  });
}
