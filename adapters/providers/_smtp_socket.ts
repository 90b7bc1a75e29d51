/**
 * The socket of each new SMTP connection, opened to an address the address check allows (the
 * relay's name is resolved and judged at every connect, like a webhook's), so a channel cannot
 * point the server at loopback, the LAN or a metadata endpoint unless
 * `SENDEASY_ALLOW_PRIVATE_WEBHOOKS=true`. Nodemailer then speaks SMTP (and TLS, verified against
 * the relay's name) over it.
 *
 * @module
 */
import { connect, type Socket } from "node:net";
import { guardHost, type Lookup } from "../webhooks/dns_guard.ts";

/** The error code of a relay whose address the check refused (a setting to fix, not a retry). */
export const ADDRESS_REFUSED = "EADDRESS";

/** Nodemailer's `getSocket` hook: `{ connection }` once connected, or the error. */
export type GetSocket = (
  options: { host?: string | undefined; port?: number | undefined },
  callback: (error: Error | null, socketOptions?: { connection: Socket }) => void,
) => void;

/**
 * @param options.allowPrivate `SENDEASY_ALLOW_PRIVATE_WEBHOOKS`
 * @param options.lookup resolver (default: the system's)
 * @param options.timeoutMs longest wait for the TCP connection
 * @returns the hook for a pool's options
 */
export function guardedSmtpSocket(options: {
  allowPrivate: boolean;
  lookup?: Lookup;
  timeoutMs: number;
}): GetSocket {
  const { timeoutMs, ...guard } = options;
  return (target, callback) => {
    const host = target.host ?? "";
    void guardHost(host, { ...guard, what: "SMTP host" }).then((checked) => {
      if (!checked.ok) {
        const refused = Object.assign(new Error(checked.message), { code: ADDRESS_REFUSED });
        callback(refused);
        return;
      }
      const socket = connect({ host: checked.address, port: target.port ?? 25, noDelay: true });
      let settled = false;
      const finish = (error: Error | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.off("error", finish);
        if (error === null) callback(null, { connection: socket });
        else {
          socket.destroy();
          callback(error);
        }
      };
      const timer = setTimeout(() => {
        const error = Object.assign(new Error(`No connection to ${host} within ${timeoutMs} ms`), {
          code: "ETIMEDOUT",
        });
        finish(error);
      }, timeoutMs);
      socket.once("connect", () => finish(null));
      socket.once("error", finish);
    });
  };
}
