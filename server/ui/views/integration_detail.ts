/**
 * One integration: its settings and badges, the secret revealed once after a creation or a
 * rotation, its actions (test, enable/disable, rotate, delete) and, for a webhook, its recent
 * deliveries with their status.
 *
 * @module
 */
import type { ChannelJson, DeliveryJson, IntegrationJson } from "../admin_data.ts";
import type { Flash, RevealedSecret } from "../flash.ts";
import { html, type SafeHtml } from "../html.ts";
import { badge, kindLabel, scopeLabel, statusBadges, type Tone, when } from "./format.ts";
import { csrfField, type HeaderInfo, layout } from "./layout.ts";
import { revealPanel } from "./reveal.ts";

/** What the detail page shows. */
export interface DetailData {
  integration: IntegrationJson;
  channels: ChannelJson[];
  deliveries: DeliveryJson[];
  secret: RevealedSecret | null;
  now: number;
}

/** The detail page. */
export function detailPage(
  data: DetailData,
  header: HeaderInfo,
  notice?: Flash["notice"],
): SafeHtml {
  const { integration } = data;
  const main = html`<p class="back"><a href="/settings/integrations">← All integrations</a></p>
<div class="page-head title-row">
  <h1>${integration.name}</h1>
  ${statusBadges(integration, data.now)}
</div>
${data.secret === null ? "" : revealPanel(data.secret)}
<section class="card" aria-labelledby="settings-title">
  <h2 id="settings-title">Settings</h2>
  ${properties(integration, new Map(data.channels.map((c) => [c.id, c])))}
</section>
<section class="card" aria-labelledby="actions-title">
  <h2 id="actions-title">Actions</h2>
  ${actions(integration, header.csrf)}
</section>
${integration.kind === "webhook" ? deliveries(data.deliveries) : ""}`;
  return layout({
    title: integration.name,
    main,
    header,
    ...(notice === undefined ? {} : { notice }),
  });
}

function properties(integration: IntegrationJson, channels: Map<string, ChannelJson>): SafeHtml {
  const rows: [string, SafeHtml | string][] = [
    ["Kind", kindLabel(integration)],
    ["Scope", scopeLabel(integration, channels)],
  ];
  if (integration.kind === "webhook") {
    rows.push(
      ["URL", html`<span class="url">${integration.url ?? ""}</span>`],
      [
        "Bearer token",
        integration.hasBearerToken ? "Set (sent in the Authorization header)" : "None",
      ],
      ["Events", integration.events?.join(", ") ?? "All message events"],
    );
  } else {
    rows.push(
      ["Token", html`<code>${integration.tokenPrefix ?? ""}…</code>`],
      ["Token created", when(integration.tokenCreatedAt)],
      ["Last rotated", when(integration.rotatedAt)],
      ["Last used", when(integration.lastUsedAt)],
      ["Expires", integration.expiresAt ? when(integration.expiresAt) : "Never"],
    );
  }
  rows.push(["Created", when(integration.createdAt)], ["Id", html`<code>${integration.id}</code>`]);
  return html`<dl class="props">${rows.map(([k, v]) => html`<div><dt>${k}</dt><dd>${v}</dd></div>`)}</dl>`;
}

function actions(integration: IntegrationJson, csrf: string): SafeHtml {
  const base = `/settings/integrations/${integration.id}`;
  const toggle = integration.enabled
    ? postButton(`${base}/disable`, "Disable", csrf)
    : postButton(`${base}/enable`, "Enable", csrf);
  const rotateLabel = integration.kind === "webhook" ? "Rotate signing secret…" : "Rotate token…";
  const test =
    integration.kind === "webhook"
      ? postButton(`${base}/test`, "Send test event", csrf, "primary")
      : "";
  return html`<div class="actions">
  ${test}
  ${toggle}
  <a class="button" href="${base}/rotate">${rotateLabel}</a>
  <a class="button button-danger" href="${base}/delete">Delete…</a>
</div>`;
}

function postButton(action: string, label: string, csrf: string, style = ""): SafeHtml {
  return html`<form method="post" action="${action}">
  ${csrfField(csrf)}
  <button type="submit" class="button ${style ? `button-${style}` : ""}">${label}</button>
</form>`;
}

const DELIVERY_TONES: Record<DeliveryJson["status"], Tone> = {
  succeeded: "ok",
  pending: "warn",
  failed: "bad",
};

function deliveries(list: DeliveryJson[]): SafeHtml {
  const body =
    list.length === 0
      ? html`<p class="muted">No deliveries yet. Send a test event to try the URL.</p>`
      : html`<table class="list" aria-label="Recent deliveries">
  <thead><tr><th scope="col">Delivery</th><th scope="col">Status</th><th scope="col">Attempts</th>
  <th scope="col">HTTP</th><th scope="col">Error</th><th scope="col">Updated</th></tr></thead>
  <tbody>${list.map(deliveryRow)}</tbody>
</table>`;
  return html`<section class="card" aria-labelledby="deliveries-title">
  <h2 id="deliveries-title">Recent deliveries</h2>
  ${body}
</section>`;
}

function deliveryRow(delivery: DeliveryJson): SafeHtml {
  return html`<tr data-delivery="${delivery.id}">
  <td data-label="Delivery"><code>${delivery.id}</code><br><span class="muted small">event <code>${delivery.eventId}</code></span></td>
  <td data-label="Status">${badge(DELIVERY_TONES[delivery.status], delivery.status)}</td>
  <td data-label="Attempts">${delivery.attempts}</td>
  <td data-label="HTTP">${delivery.lastStatusCode ?? "—"}</td>
  <td data-label="Error">${delivery.lastError ?? "—"}</td>
  <td data-label="Updated">${when(delivery.updatedAt)}</td>
</tr>`;
}
