/**
 * The page shell: head, header (company, sign out), the one-time notice, the main content.
 *
 * @module
 */
import type { Flash } from "../flash.ts";
import { html, type SafeHtml } from "../html.ts";

/** Who is signed in, for the header. */
export interface HeaderInfo {
  companyId: string;
  companyName: string;
  operator: boolean;
  /** Companies the operator may switch to (empty for a company key). */
  companies: { id: string; name: string }[];
  csrf: string;
}

/** A whole page. */
export function layout(options: {
  title: string;
  main: SafeHtml;
  header?: HeaderInfo;
  notice?: Flash["notice"];
}): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${options.title} · Sendeasy</title>
<link rel="stylesheet" href="/settings/assets/app.css">
<script src="/settings/assets/app.js" defer></script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar">
  <div class="wrap topbar-inner">
    <a class="brand" href="/settings/integrations">Sendeasy</a>
    <span class="crumb">Settings → Integrations</span>
    ${options.header === undefined ? "" : account(options.header)}
  </div>
</header>
<main id="main" class="wrap">
${options.notice === undefined ? "" : notice(options.notice)}
${options.main}
</main>
</body>
</html>`;
}

/** A hidden CSRF field for a form. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="csrf" value="${token}">`;
}

function notice(value: NonNullable<Flash["notice"]>): SafeHtml {
  const role = value.tone === "error" ? "alert" : "status";
  return html`<p class="notice notice-${value.tone}" role="${role}">${value.text}</p>`;
}

function account(header: HeaderInfo): SafeHtml {
  return html`<div class="account">
    ${header.operator && header.companies.length > 1 ? picker(header) : html`<span class="company">${header.companyName}</span>`}
    <form method="post" action="/settings/sign-out">
      ${csrfField(header.csrf)}
      <button type="submit" class="button button-quiet">Sign out</button>
    </form>
  </div>`;
}

function picker(header: HeaderInfo): SafeHtml {
  const options = header.companies.map(
    (c) =>
      html`<option value="${c.id}" ${c.id === header.companyId ? "selected" : ""}>${c.name}</option>`,
  );
  return html`<form method="post" action="/settings/company" class="picker">
    ${csrfField(header.csrf)}
    <label for="company-picker">Company</label>
    <select id="company-picker" name="companyId">${options}</select>
    <button type="submit" class="button button-quiet">Switch</button>
  </form>`;
}
