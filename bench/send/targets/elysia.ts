/**
 * Process: baseline (b), a bare Elysia route validating the SMS body with TypeBox
 * (bench/README.md#send).
 *
 * @module
 */
import { Elysia } from "elysia";
import { announceApp, SmsBody } from "./elysia_baseline.ts";

let next = 0;
const app = new Elysia()
  .post(
    "/api/integration/generic",
    () => {
      next++;
      return {
        id: `msg_${next}`,
        status: "sent",
        channel: { id: "chn_bench", type: "sms" },
        provider: "sandbox",
        providerMessageId: `sbx_${next}`,
        segments: 1,
      };
    },
    { body: SmsBody },
  )
  .listen({ port: 0, hostname: "127.0.0.1" });

await announceApp(app);
