/**
 * docs/grafana_dashboard.json queries only series that /metrics exposes.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Metrics } from "../../server/metrics/metrics.ts";

const DASHBOARD = join(import.meta.dir, "../../docs/grafana_dashboard.json");

test("every series the dashboard queries is one /metrics exposes", async () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
    panels: { targets: { expr: string }[] }[];
  };
  const metrics = new Metrics(
    {
      read: async () => ({
        earliestPendingAt: null,
        disabledWebhooks: { gone: 0, failing: 0, manual: 0 },
        queuedMessages: 0,
      }),
    },
    () => 0,
  );
  metrics.send({ channelType: "sms", provider: "sandbox" }, "sent", 0.1);
  const exposed = new Set(
    (await metrics.render())
      .split("\n")
      .filter((line) => line !== "" && !line.startsWith("#"))
      .map((line) => /^[\w:]+/.exec(line)?.[0]),
  );
  const queried = dashboard.panels.flatMap((panel) =>
    panel.targets.flatMap((target) => target.expr.match(/sendeasy_\w+/g) ?? []),
  );
  expect(queried.length).toBeGreaterThan(6);
  expect(queried.filter((name) => !exposed.has(name))).toEqual([]);
});
