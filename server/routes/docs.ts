/**
 * `GET /docs` (the API reference, plain HTML) and `GET /docs/style.css`; the OpenAPI document
 * itself is `GET /docs/json` (the openapi plugin).
 *
 * @module
 */
import { Elysia } from "elysia";
import { DOCS_CSP, DOCS_CSS, type OpenApiDocument, renderDocsPage } from "../docs/docs_page.ts";
import type { RequestIds } from "../http/request_ids.ts";

/**
 * @param spec reads the OpenAPI document (once every route is registered)
 * @param requestIds the request ids of the app
 */
export function docsRoutes(spec: () => Promise<OpenApiDocument>, requestIds: RequestIds) {
  let page: string | null = null;
  return (
    new Elysia({ name: "docs" })
      .get(
        "/docs",
        async ({ request }) => {
          page ??= renderDocsPage(await spec()).value;
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
