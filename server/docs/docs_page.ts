/**
 * The API reference at `/docs`: the OpenAPI document (`/docs/json`) rendered on the server as
 * plain HTML — no script, nothing loaded from another origin — under a CSP that allows only
 * this server's stylesheet.
 *
 * @module
 */
import { html, join, type SafeHtml } from "../ui/html.ts";

/** The parts of an OpenAPI 3 document the page shows. */
export interface OpenApiDocument {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation | undefined>>;
}

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  deprecated?: boolean;
  security?: unknown[];
  parameters?: { name?: string; in?: string; required?: boolean; description?: string }[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { description?: string }>;
}

interface Schema {
  title?: string;
  oneOf?: Schema[];
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Only this server's stylesheet; no script at all. */
export const DOCS_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

/**
 * @param spec the OpenAPI document the server serves at `/docs/json`
 * @returns the page
 * @example
 * renderDocsPage({ info: { title: "Sendeasy" }, paths: {} }).value.startsWith("<!doctype html>");
 */
export function renderDocsPage(spec: OpenApiDocument): SafeHtml {
  const title = spec.info?.title ?? "API";
  const byTag = new Map<string, SafeHtml[]>();
  for (const [path, item] of Object.entries(spec.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      const tag = operation.tags?.[0] ?? "Other";
      const list = byTag.get(tag) ?? [];
      list.push(operationHtml(method, path, operation));
      byTag.set(tag, list);
    }
  }
  const sections = [...byTag].map(
    ([tag, operations]) => html`<section><h2>${tag}</h2>${operations}</section>`,
  );
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} API reference</title><link rel="stylesheet" href="/docs/style.css"></head>
<body><header><h1>${title} <small>${spec.info?.version ?? ""}</small></h1>
<p>${spec.info?.description ?? ""}</p>
<p>The same reference as an OpenAPI document: <a href="/docs/json">/docs/json</a>.</p></header>
<nav>${[...byTag.keys()].map((tag) => html`<a href="#${anchor(tag)}">${tag}</a> `)}</nav>
<main>${sections.map((section, i) => html`<div id="${anchor([...byTag.keys()][i] ?? "")}">${section}</div>`)}</main>
</body></html>`;
}

function operationHtml(method: string, path: string, operation: Operation): SafeHtml {
  const parameters = operation.parameters ?? [];
  const body = operation.requestBody?.content;
  const responses = Object.entries(operation.responses ?? {});
  return html`<article${operation.deprecated ? html` class="deprecated"` : ""}>
<h3><code class="method">${method.toUpperCase()}</code> <code>${path}</code>${operation.security?.length ? html` <span class="auth">bearer</span>` : ""}</h3>
${operation.summary ? html`<p>${operation.summary}</p>` : ""}
${operation.description ? html`<p class="note">${operation.description}</p>` : ""}
${parameters.length > 0 ? html`<p>Parameters: ${join(parameters.map((p, i) => html`${i > 0 ? ", " : ""}<code>${p.name ?? ""}</code> (${p.in ?? ""}${p.required ? ", required" : ""})`))}</p>` : ""}
${body !== undefined && Object.keys(body).length > 0 ? html`<p>Body: ${join(Object.entries(body).map(([type, media]) => html`<code>${type}</code> ${schemaName(media.schema)} `))}</p>` : ""}
${responses.length > 0 ? html`<ul>${responses.map(([code, answer]) => html`<li><code>${code}</code> ${answer.description ?? ""}</li>`)}</ul>` : ""}
</article>`;
}

function schemaName(schema: Schema | undefined): string {
  if (schema === undefined) return "";
  if (schema.oneOf !== undefined) return schema.oneOf.map((s) => s.title ?? "object").join(" | ");
  return schema.title ?? "";
}

function anchor(tag: string): string {
  return `tag-${tag.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
}

/** The page's stylesheet, served at `/docs/style.css`. */
export const DOCS_CSS = `
body { font: 15px/1.5 system-ui, sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem; color: #1c1e21; }
header p { color: #555; }
nav a { margin-right: .75rem; }
section h2 { border-bottom: 1px solid #ddd; margin-top: 2rem; }
article { border: 1px solid #e3e3e3; border-radius: 6px; padding: .25rem 1rem; margin: .75rem 0; }
article.deprecated { opacity: .6; }
h3 { font-size: 1rem; }
code { font: 13px ui-monospace, monospace; background: #f4f4f5; padding: 1px 4px; border-radius: 3px; }
code.method { background: #1c1e21; color: #fff; }
.auth { font-size: 12px; color: #7a4d00; background: #fff4d6; padding: 1px 6px; border-radius: 3px; }
.note { color: #444; }
`;
