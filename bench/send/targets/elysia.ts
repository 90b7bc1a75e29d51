/**
 * Baseline (b): a bare Elysia route that validates the body with the TypeBox SMS schema and
 * answers the same 200 JSON shape as Sendeasy's SMS send. This is what "the framework plus
 * validation" costs; Sendeasy's target is a share of this rate. Run by `bench/send.ts` as its
 * own process.
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
