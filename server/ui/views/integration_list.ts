/**
 * Settings → Integrations: the list (seed, "UI configuration": "There you'll see a list of
 * integrations"), with the New integration button of step 1.
 *
 * @module
 */
import type { ChannelJson, IntegrationJson } from "../admin_data.ts";
import type { Flash } from "../flash.ts";
import { html, type SafeHtml } from "../html.ts";
import { kindLabel, scopeLabel, statusBadges, when } from "./format.ts";
import { type HeaderInfo, layout } from "./layout.ts";

/** What the list shows. */
export interface ListData {
  integrations: IntegrationJson[];
  channels: ChannelJson[];
  nextCursor: string | null;
  now: number;
}

/** The list page. */
export function listPage(data: ListData, header: HeaderInfo, notice?: Flash["notice"]): SafeHtml {
  const byId = new Map(data.channels.map((c) => [c.id, c]));
  const main = html`<div class="page-head">
  <h1>Integrations</h1>
  <a class="button button-primary" href="/settings/integrations/new">New integration</a>
</div>
<p class="muted lead">Webhooks push events from your channels to a URL you control; custom
tokens let your application send messages with <code>POST /api/integration/generic</code>.</p>
${data.integrations.length === 0 ? empty() : table(data, byId)}
${data.nextCursor === null ? "" : html`<p><a href="/settings/integrations?cursor=${encodeURIComponent(data.nextCursor)}">Older integrations →</a></p>`}`;
  return layout({
    title: "Integrations",
    main,
    header,
    ...(notice === undefined ? {} : { notice }),
  });
}

function empty(): SafeHtml {
  return html`<div class="card empty">
  <p><strong>No integrations yet.</strong></p>
  <p class="muted">Create a webhook to receive events, or a custom token to send messages.</p>
</div>`;
}

function table(data: ListData, byId: Map<string, ChannelJson>): SafeHtml {
  const rows = data.integrations.map((integration) => row(integration, byId, data.now));
  return html`<table class="list" aria-label="Integrations">
  <thead><tr><th scope="col">Name</th><th scope="col">Kind</th><th scope="col">Scope</th>
  <th scope="col">Destination or token</th><th scope="col">Status</th><th scope="col">Created</th></tr></thead>
  <tbody>${rows}</tbody>
</table>`;
}

function row(integration: IntegrationJson, byId: Map<string, ChannelJson>, now: number): SafeHtml {
  const target =
    integration.kind === "webhook"
      ? html`<span class="url">${integration.url ?? ""}</span>`
      : html`<code>${integration.tokenPrefix ?? ""}…</code>`;
  return html`<tr data-integration="${integration.id}">
  <td data-label="Name"><a href="/settings/integrations/${integration.id}">${integration.name}</a></td>
  <td data-label="Kind">${kindLabel(integration)}</td>
  <td data-label="Scope">${scopeLabel(integration, byId)}</td>
  <td data-label="Destination">${target}</td>
  <td data-label="Status">${statusBadges(integration, now)}</td>
  <td data-label="Created">${when(integration.createdAt)}</td>
</tr>`;
}
