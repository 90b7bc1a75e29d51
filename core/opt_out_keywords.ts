/**
 * Opt-out and opt-in by reply (README "Suppressions"): an inbound SMS or WhatsApp text that is
 * exactly one of the carriers' keywords stops or resumes messages to its sender.
 *
 * @module
 */

/** What an inbound message asks for: stop messaging me, or start again. */
export type OptOutIntent = "stop" | "start";

/** The carriers' opt-out keywords (Twilio answers them itself on long codes). */
export const STOP_KEYWORDS: readonly string[] = [
  "STOP",
  "STOPALL",
  "UNSUBSCRIBE",
  "CANCEL",
  "END",
  "QUIT",
];

/** The keywords that opt back in. */
export const START_KEYWORDS: readonly string[] = ["START", "UNSTOP", "YES"];

/**
 * The opt-out intent of an inbound message. Twilio's `OptOutType` (sent when Advanced Opt-Out
 * is on) wins; otherwise the whole text, trimmed, must be a keyword in any case, so
 * "please stop calling" is a message, not an opt-out.
 *
 * @param text The inbound text, if any.
 * @param options.optOutType Twilio's `OptOutType` parameter (`STOP`, `START`, `HELP`).
 * @returns `stop`, `start`, or null.
 *
 * @example
 * ```ts
 * optOutIntent(" stop "); // "stop"
 * optOutIntent("please stop calling"); // null
 * optOutIntent("Yes"); // "start"
 * optOutIntent("arrêt", { optOutType: "STOP" }); // "stop"
 * ```
 */
export function optOutIntent(
  text: string | undefined,
  options: { optOutType?: string } = {},
): OptOutIntent | null {
  const type = options.optOutType?.trim().toUpperCase();
  if (type === "STOP") return "stop";
  if (type === "START") return "start";
  if (text === undefined) return null;
  const word = text.trim().toUpperCase();
  if (STOP_KEYWORDS.includes(word)) return "stop";
  if (START_KEYWORDS.includes(word)) return "start";
  return null;
}
