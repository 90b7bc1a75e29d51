/**
 * SmtpEmailProvider called directly, as a sender that retries would call it: the result says
 * whether a failure is temporary (4xx, no reply, timeout) or permanent (5xx, a refused relay
 * address), and a payload's base64 files go out even when no opener ran, while a URL nobody
 * opened is a bug that throws rather than a file silently dropped.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { SmtpEmailProvider } from "../../../adapters/providers/smtp.ts";
import type { Channel } from "../../../core/domain.ts";
import type { EmailPayload } from "../../../core/payloads/email.ts";
import type { ProviderResult } from "../../../core/ports/providers.ts";
import { SmtpSink, silentServer } from "./_smtp_sink.ts";

let sink: SmtpSink;
let smtp: SmtpEmailProvider;

beforeAll(async () => {
  sink = await SmtpSink.start();
  smtp = new SmtpEmailProvider({ allowPrivate: true, timeoutMs: 300 });
});
afterAll(async () => {
  smtp.close();
  await sink.stop();
});

function channel(port: number, id = "ch_adapter"): Channel {
  return {
    id,
    companyId: "co_1",
    type: "email",
    provider: "smtp",
    name: "Relay",
    address: "orders@shop.example",
    config: { host: "127.0.0.1", port, security: "none" },
    credits: null,
    createdAt: new Date(0),
    deletedAt: null,
  };
}

const mail = (to: string, extra: Partial<EmailPayload> = {}): EmailPayload => ({
  to: [to],
  subject: "Hi",
  html: "<p>x</p>",
  ...extra,
});

const send = (payload: EmailPayload, target = channel(sink.port)): Promise<ProviderResult> =>
  smtp.sendEmail(target, payload, { messageId: "msg_1", callbackUrl: "" });

describe("SmtpEmailProvider results", () => {
  test.each([
    [550, false],
    [552, false],
    [421, true],
    [450, true],
  ])("a %i on RCPT TO is temporary: %p", async (code, temporary) => {
    const to = `r${code}@company.example`;
    sink.rcptReplies.set(to, { code, message: "scripted refusal" });
    const result = await send(mail(to));
    expect(result).toMatchObject({
      ok: false,
      code: "FAILURE",
      fault: { name: "smtp", code: String(code) },
      temporary,
    });
  });

  test("a relay that never greets is a temporary failure", async () => {
    const silent = await silentServer();
    try {
      const result = await send(mail("a@company.example"), channel(silent.port, "ch_silent"));
      expect(result).toMatchObject({ ok: false, fault: { code: "ETIMEDOUT" }, temporary: true });
    } finally {
      await silent.stop();
    }
  });

  test("a relay on a refused address is permanent: only a new setting fixes it", async () => {
    const strict = new SmtpEmailProvider({ allowPrivate: false, timeoutMs: 300 });
    try {
      const result = await strict.sendEmail(channel(sink.port), mail("a@company.example"), {
        messageId: "msg_1",
        callbackUrl: "",
      });
      expect(result).toMatchObject({
        ok: false,
        fault: { name: "smtp", code: "EADDRESS" },
        temporary: false,
      });
      expect(result.ok === false && result.fault.message).toContain("SMTP host");
    } finally {
      strict.close();
    }
  });

  test("without opened attachments, base64 files still go and an unopened URL throws", async () => {
    sink.reset();
    const base64 = mail("a@company.example", {
      attachments: [{ filename: "a.txt", content: "aGk=" }],
    });
    expect((await send(base64)).ok).toBe(true);
    expect((await sink.waitForMails(1))[0]?.parsed.attachments[0]?.content.toString()).toBe("hi");
    const byUrl = mail("a@company.example", {
      attachments: [{ filename: "a.pdf", url: "https://files.shop.example/a.pdf" }],
    });
    await expect(send(byUrl)).rejects.toThrow('Cannot send attachment "a.pdf"');
  });
});
