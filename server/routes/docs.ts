/**
 * `GET /docs` (the API reference, plain HTML), `GET /docs/style.css`, and the OpenAPI
 * document itself, `GET /docs/json`.
 *
 * @module
 */
import { Elysia } from "elysia";
import { DOCS_CSP, DOCS_CSS, type OpenApiDocument, renderDocsPage } from "../docs/docs_page.ts";
import type { RequestIds } from "../http/request_ids.ts";

/**
 * @param spec builds the OpenAPI document (called once every route is registered)
 * @param requestIds the request ids of the app
 */
export function docsRoutes(spec: () => OpenApiDocument, requestIds: RequestIds) {
  let page: string | null = null;
  let json: string | null = null;
  return (
    new Elysia({ name: "docs" })
      .get(
        "/docs/json",
        ({ request }) => {
          json ??= JSON.stringify(spec());
          return new Response(json, {
            headers: {
              "content-type": "application/json; charset=utf-8",
              "x-request-id": requestIds.of(request),
            },
          });
        },
        { detail: { hide: true } },
      )
      .get(
        "/docs",
        ({ request }) => {
          page ??= renderDocsPage(spec()).value;
          return new Response(page, {
            headers: {
              "content-type": "text/html; charset=utf-8",
              "content-security-policy": DOCS_CSP,
              "x-content-type-options": "nosniff",
              "referrer-policy": "same-origin",
              "x-request-id": requestIds.of(request),
            },
          });
        },
        { detail: { hide: true } },
      )
      .get(
        "/docs/style.css",
        () =>
          new Response(DOCS_CSS, {
            headers: {
              "content-type": "text/css; charset=utf-8",
              "cache-control": "public, max-age=300",
              "x-content-type-options": "nosniff",
            },
          }),
        { detail: { hide: true } },
      )
      // Browsers ask for it on every page; there is none.
      .get("/favicon.ico", () => new Response(null, { status: 204 }), { detail: { hide: true } })
  );
}
