/**
 * What the Elysia baselines share: the SMS body schema, and announcing a listening app
 * (bench/README.md#send).
 *
 * @module
 */
import { t } from "elysia";
import { announceAndServe } from "../../shared/control.ts";

/** The SMS payload as the baselines validate it (the shape of core's `SmsPayload`). */
export const SmsBody = t.Object({
  to: t.String({ pattern: "^\\+[1-9][0-9]{7,14}$" }),
  body: t.String({ minLength: 1, maxLength: 1600 }),
});

/** Announces `app`'s URL, serves the control commands, and stops it (then `cleanup`) on exit. */
export async function announceApp(
  app: {
    server: { port: number | undefined } | null;
    stop(closeActive?: boolean): Promise<unknown>;
  },
  cleanup: () => void = () => undefined,
): Promise<void> {
  await announceAndServe(
    { url: `http://127.0.0.1:${app.server?.port}` },
    {
      close: async () => {
        await app.stop(true);
        cleanup();
      },
    },
  );
}
