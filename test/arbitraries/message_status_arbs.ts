/**
 * Arbitraries for status reports: the reports one real message can get (a lifecycle that a
 * provider could report, each status any number of times), arriving in any order.
 *
 * @module
 */
import fc from "fast-check";
import type { ChannelType, Message, MessageStatus } from "../../core/domain.ts";
import type { StatusReport } from "../../core/message_status.ts";
import { channelWithMessageArb } from "./events_arbs.ts";

/** A status a provider (or the answer to a send) can report about an outbound message. */
export type ReportedStatus = Extract<MessageStatus, "sent" | "delivered" | "read" | "failed">;

const REPORTED: ReportedStatus[] = ["sent", "delivered", "read", "failed"];

/**
 * A lifecycle a message can really go through, in order: sent, then delivered and read as far
 * as it got, and maybe failed — on email after any of them (a late bounce), elsewhere only
 * straight after sent (a message that was delivered did not fail).
 */
export function lifecycleArb(channelType: ChannelType): fc.Arbitrary<ReportedStatus[]> {
  return fc
    .record({ reached: fc.integer({ min: 0, max: 2 }), fails: fc.boolean() })
    .map(({ reached, fails }) => {
      const path: ReportedStatus[] = [
        "sent",
        ...(["delivered", "read"] as const).slice(0, reached),
      ];
      if (fails && (channelType === "email" || reached === 0)) path.push("failed");
      return path;
    });
}

/** An outbound message saved `queued`, as a remote send is before its provider answers. */
export const queuedMessageArb: fc.Arbitrary<Message> = channelWithMessageArb.map(({ message }) => ({
  ...message,
  direction: "outbound" as const,
  status: "queued" as const,
  error: null,
  history: [{ status: "queued" as const, at: message.createdAt }],
}));

/** A report of `status` at some time, with a reason for failures. */
function reportArb(status: ReportedStatus): fc.Arbitrary<StatusReport> {
  return fc
    .date({
      min: new Date(Date.UTC(2025, 0, 1)),
      max: new Date(Date.UTC(2026, 0, 1)),
      noInvalidDate: true,
    })
    .map((at) => (status === "failed" ? { status, at, reason: "30003" } : { status, at }));
}

/**
 * A queued message, a lifecycle of its channel, and the reports one provider sent about it:
 * each status of the lifecycle 0–3 times, in two independent arrival orders.
 */
export const reportsOfOneLifecycleArb: fc.Arbitrary<{
  message: Message;
  lifecycle: ReportedStatus[];
  arrivals: [StatusReport[], StatusReport[]];
}> = queuedMessageArb.chain((message) =>
  lifecycleArb(message.channelType).chain((lifecycle) =>
    fc
      .tuple(...lifecycle.map((status) => fc.array(reportArb(status), { maxLength: 3 })))
      .map((groups) => groups.flat())
      .chain((reports) =>
        fc
          .tuple(
            fc.shuffledSubarray(reports, { minLength: reports.length }),
            fc.shuffledSubarray(reports, { minLength: reports.length }),
          )
          .map((arrivals) => ({ message, lifecycle, arrivals })),
      ),
  ),
);

/** A queued message and any reports at all, contradictory ones included, in any order. */
export const anyReportsArb: fc.Arbitrary<{ message: Message; reports: StatusReport[] }> =
  queuedMessageArb.chain((message) =>
    fc
      .array(fc.constantFrom(...REPORTED).chain(reportArb), { maxLength: 8 })
      .map((reports) => ({ message, reports })),
  );
