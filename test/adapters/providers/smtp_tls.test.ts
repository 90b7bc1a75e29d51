/**
 * SMTP over TLS: STARTTLS and TLS from the first byte, against a real `smtp-server` holding a
 * self-signed certificate made for this run. The server trusts it only when told to
 * (`startServer`'s `smtp.ca`); an untrusted certificate, or a relay that does not offer the
 * STARTTLS a channel requires, fails the send instead of falling back to plain text.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startTestServer, type TestServer } from "../../support/test_server.ts";
import { type SelfSigned, selfSignedCertificate } from "./_self_signed.ts";
import { SmtpSink } from "./_smtp_sink.ts";

const ADDRESS = "orders@shop.example";
const AUTH = { user: "relay-user", pass: "relay-pass" };
const MAIL = { to: "ana@company.example", subject: "Over TLS", html: "<p>secret</p>" };

let certificate: SelfSigned;
let trusting: TestServer;
const sinks: SmtpSink[] = [];

beforeAll(async () => {
  certificate = selfSignedCertificate();
  trusting = await startTestServer(
    { SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true", SENDEASY_PROVIDER_TIMEOUT_MS: "5000" },
    // Every name resolves to loopback here, where the sinks listen.
    { start: { smtp: { ca: certificate.cert }, lookup: async () => ["127.0.0.1"] } },
  );
});
afterAll(async () => {
  await trusting.close();
  for (const sink of sinks) await sink.stop();
});

async function sinkWith(security: "tls" | "starttls" | "none"): Promise<SmtpSink> {
  const sink = await SmtpSink.start({ security, certificate, auth: AUTH });
  sinks.push(sink);
  return sink;
}

async function sendThrough(
  server: TestServer,
  config: Record<string, unknown>,
): Promise<{ status: number; body: any }> {
  const channel = await server.channel({
    type: "email",
    provider: "smtp",
    address: ADDRESS,
    config: { user: AUTH.user, password: AUTH.pass, ...config },
  });
  const { token } = await server.token(channel.id);
  return server.send(token, MAIL);
}

describe("SMTP with TLS", () => {
  test("starttls: the session is upgraded before AUTH and the message", async () => {
    const sink = await sinkWith("starttls");
    const res = await sendThrough(trusting, {
      host: "localhost",
      port: sink.port,
      security: "starttls",
    });
    expect(res.status).toBe(200);
    const [mail] = await sink.waitForMails(1);
    expect(mail?.secure).toBe(true);
    expect(mail?.user).toBe(AUTH.user);
    expect(mail?.parsed.html).toContain("<p>secret</p>");
  });

  test("tls: TLS from the first byte (port 465 style)", async () => {
    const sink = await sinkWith("tls");
    const res = await sendThrough(trusting, {
      host: "localhost",
      port: sink.port,
      security: "tls",
    });
    expect(res.status).toBe(200);
    const [mail] = await sink.waitForMails(1);
    expect(mail?.secure).toBe(true);
  });

  test("the certificate is checked against the relay's name", async () => {
    const sink = await sinkWith("tls");
    // relay.shop.example resolves to where the sink listens, but its certificate names only
    // localhost and 127.0.0.1.
    const res = await sendThrough(trusting, {
      host: "relay.shop.example",
      port: sink.port,
      security: "tls",
    });
    expect(res.status).toBe(502);
    expect(res.body.provider.name).toBe("smtp");
    expect(res.body.provider.message).toMatch(/relay\.shop\.example/);
    expect(sink.mails).toEqual([]);
  });

  test("starttls required but not offered: refused, never sent in plain text", async () => {
    const sink = await sinkWith("none");
    const res = await sendThrough(trusting, {
      host: "localhost",
      port: sink.port,
      security: "starttls",
    });
    expect(res.status).toBe(502);
    expect(res.body.provider.name).toBe("smtp");
    // Nodemailer asks for STARTTLS anyway; the relay does not know the command.
    expect(res.body.provider.message).toMatch(/STARTTLS|not recognized/i);
    expect(sink.mails).toEqual([]);
  });

  test("none stays plain even when the relay offers STARTTLS", async () => {
    const sink = await sinkWith("starttls");
    const res = await sendThrough(trusting, {
      host: "localhost",
      port: sink.port,
      security: "none",
    });
    expect(res.status).toBe(200);
    expect((await sink.waitForMails(1))[0]?.secure).toBe(false);
  });

  test("a self-signed certificate the server was not told to trust is refused", async () => {
    const sink = await sinkWith("starttls");
    const wary = await startTestServer({
      SENDEASY_ALLOW_PRIVATE_WEBHOOKS: "true",
      SENDEASY_PROVIDER_TIMEOUT_MS: "5000",
    });
    try {
      const res = await sendThrough(wary, {
        host: "localhost",
        port: sink.port,
        security: "starttls",
      });
      expect(res.status).toBe(502);
      expect(res.body.provider.name).toBe("smtp");
      expect(res.body.provider.message).toMatch(/self[- ]signed/i);
      expect(sink.mails).toEqual([]);
    } finally {
      await wary.close();
    }
  });
});
