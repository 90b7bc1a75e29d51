/**
 * A provider request counted and timed for `GET /metrics` (docs/operations.md "Monitor"), the
 * one way both the synchronous send and the send worker call a provider.
 *
 * @module
 */
import type { ProviderResult } from "../../core/ports/providers.ts";
import type { SendMetrics, SendOutcome } from "../metrics/metrics.ts";
import { dispatchSend, type ProviderRegistry } from "./provider_dispatch.ts";

/**
 * Sends through the channel's provider and counts the outcome with its duration.
 *
 * @param deps the providers, and the metrics when `/metrics` is on
 * @param request what {@linkcode dispatchSend} takes
 * @returns the provider's result, unchanged
 */
export async function countedDispatch(
  deps: { providers: ProviderRegistry; metrics?: SendMetrics },
  request: Parameters<typeof dispatchSend>[1],
): Promise<ProviderResult> {
  const started = performance.now();
  const result = await dispatchSend(deps.providers, request);
  const seconds = (performance.now() - started) / 1000;
  const { channel } = request;
  deps.metrics?.send(
    { channelType: channel.type, provider: channel.provider },
    outcomeOf(result),
    seconds,
  );
  return result;
}

function outcomeOf(result: ProviderResult): SendOutcome {
  if (result.ok) return "sent";
  if (result.code === "NO_FUNDS") return "no_funds";
  return result.fault.code === "timeout" ? "timeout" : "failed";
}
