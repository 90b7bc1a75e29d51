/**
 * The page's stylesheet and script, served from `/settings/assets/…` (the CSP allows no
 * inline code). Read once at start.
 *
 * @module
 */
import { readFileSync } from "node:fs";

/** One static asset. */
export interface Asset {
  body: string;
  contentType: string;
}

const read = (name: string): string =>
  readFileSync(new URL(`./assets/${name}`, import.meta.url), "utf8");

/** The stylesheet is kept in three files by topic and served as one. */
const STYLESHEET = ["base.css", "forms.css", "lists.css"].map(read).join("\n");

/** The assets by file name. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ["app.css", { body: STYLESHEET, contentType: "text/css; charset=utf-8" }],
  ["app.js", { body: read("app.js"), contentType: "text/javascript; charset=utf-8" }],
]);

/** GET /settings/assets/:name */
export function assetResponse(name: string): Response {
  const asset = ASSETS.get(name);
  if (asset === undefined) return new Response("Not found", { status: 404 });
  return new Response(asset.body, {
    headers: {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
