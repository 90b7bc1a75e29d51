/**
 * A real SMTP server in the test process (npm `smtp-server`) that keeps what it receives, parsed
 * with `mailparser`: the envelope (MAIL FROM, RCPT TO), the raw message and its parts. It can
 * require AUTH, speak TLS from the first byte or offer STARTTLS with a given certificate, refuse
 * chosen recipients with a chosen reply, and count its connections. `silentServer()` is a TCP
 * server that accepts and never says a word.
 */
import { createServer, type Server, type Socket } from "node:net";
import { type ParsedMail, simpleParser } from "mailparser";
import { SMTPServer, type SMTPServerOptions } from "smtp-server";
import type { SelfSigned } from "./_self_signed.ts";

/** One message as the sink received it. */
export interface ReceivedMail {
  mailFrom: string;
  rcptTo: string[];
  /** The message exactly as sent over DATA. */
  raw: string;
  parsed: ParsedMail;
  /** Whether the session was encrypted (TLS or after STARTTLS). */
  secure: boolean;
  /** The user that logged in, if any. */
  user: string | undefined;
}

/** How the sink behaves. */
export interface SinkOptions {
  /** `tls`: TLS from the first byte; `starttls`: plain, STARTTLS offered; default plain only. */
  security?: "tls" | "starttls" | "none";
  certificate?: SelfSigned;
  /** When set, AUTH is required and only these credentials pass (535 otherwise). */
  auth?: { user: string; pass: string };
}

/** A reply to script for a recipient: `{ code: 550, message: "…" }`. */
export interface Reply {
  code: number;
  message: string;
}

export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  /** TCP connections accepted so far. */
  connections = 0;
  /** Connections closed so far (by either side). */
  closed = 0;
  /** Bytes received over DATA so far, counted as they arrive (messages still flowing included). */
  dataBytes = 0;
  /** Errors the server reported (failed handshakes and the like). */
  readonly errors: Error[] = [];
  /** Replies for chosen RCPT TO addresses (lower case); others are accepted. */
  readonly rcptReplies = new Map<string, Reply>();
  readonly #server: SMTPServer;
  #port = 0;
  readonly #waiters: Array<() => void> = [];

  private constructor(options: SinkOptions) {
    const security = options.security ?? "none";
    const tls =
      options.certificate === undefined
        ? {}
        : { key: options.certificate.key, cert: options.certificate.cert };
    const config: SMTPServerOptions = {
      ...tls,
      secure: security === "tls",
      // Plain sinks offer no STARTTLS, so "none" really stays plain.
      disabledCommands: security === "none" ? ["STARTTLS"] : [],
      allowInsecureAuth: true,
      authOptional: options.auth === undefined,
      disableReverseLookup: true,
      logger: false,
      size: 64 * 1024 * 1024,
      onConnect: (_session, callback) => {
        this.connections += 1;
        callback();
      },
      onClose: () => {
        this.closed += 1;
      },
      // A pooled client keeps idle connections open: stopping the sink must not wait for them.
      closeTimeout: 50,
      onAuth: (auth, _session, callback) => {
        const expected = options.auth;
        if (
          expected !== undefined &&
          auth.username === expected.user &&
          auth.password === expected.pass
        ) {
          callback(null, { user: auth.username });
        } else {
          callback(
            Object.assign(new Error("5.7.8 Authentication credentials invalid"), {
              responseCode: 535,
            }),
          );
        }
      },
      onRcptTo: (address, _session, callback) => {
        const reply = this.rcptReplies.get(address.address.toLowerCase());
        if (reply === undefined) callback();
        else callback(Object.assign(new Error(reply.message), { responseCode: reply.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => {
          this.dataBytes += chunk.length;
          chunks.push(chunk);
        });
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          void simpleParser(raw).then((parsed) => {
            this.mails.push({
              mailFrom:
                session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address,
              rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
              secure: session.secure,
              user: typeof session.user === "string" ? session.user : undefined,
            });
            for (const wake of this.#waiters.splice(0)) wake();
            callback();
          }, callback);
        });
      },
    };
    this.#server = new SMTPServer(config);
    // A client that drops a TLS handshake (a certificate it refused) is an event, not a crash.
    this.#server.on("error", (error) => this.errors.push(error));
  }

  static async start(options: SinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink(options);
    await new Promise<void>((resolve) => sink.#server.listen(0, "127.0.0.1", resolve));
    sink.#port = (sink.#server.server.address() as { port: number }).port;
    return sink;
  }

  get port(): number {
    return this.#port;
  }

  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  async waitForMails(count: number, timeoutMs = 5000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.mails.length < count) {
      if (Date.now() > deadline)
        throw new Error(`the sink got ${this.mails.length} of ${count} mails`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
    return this.mails.slice(0, count);
  }

  reset(): void {
    this.mails.length = 0;
    this.connections = 0;
    this.closed = 0;
    this.dataBytes = 0;
    this.rcptReplies.clear();
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

/** A TCP server that accepts connections and never answers: no greeting, nothing. */
export async function silentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as { port: number }).port,
    stop: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
