/**
 * Process: the SMTP relay of `--channel email-smtp`, accepting and discarding every message
 * (bench/README.md#send).
 *
 * @module
 */
import { SMTPServer } from "smtp-server";
import { announceAndServe } from "../../shared/control.ts";

let messages = 0;
let connections = 0;
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  disableReverseLookup: true,
  logger: false,
  closeTimeout: 100,
  onConnect(_session, callback) {
    connections += 1;
    callback();
  },
  onData(stream, _session, callback) {
    stream.on("data", () => undefined);
    stream.on("end", () => {
      messages += 1;
      callback();
    });
  },
});
server.on("error", () => undefined);
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const port = (server.server.address() as { port: number }).port;

await announceAndServe(
  { url: `smtp://127.0.0.1:${port}`, port },
  {
    stats: () => ({ messages, connections }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  },
);
