/**
 * The page's stylesheet and script, served from `/settings/assets/…` (the CSP allows no
 * inline code). Read once at start.
 *
 * @module
 */
import { readFileSync } from "node:fs";
import { errorReply, toResponse } from "../http/reply.ts";

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

/** GET /settings/assets/:name (an unknown name: 404 in the API's error shape). */
export function assetResponse(name: string, requestId: string): Response {
  const asset = ASSETS.get(name);
  if (asset === undefined) {
    const message = `No asset "${name}"`;
    return toResponse(errorReply("NOT_FOUND", { requestId, message }), requestId);
  }
  return new Response(asset.body, {
    headers: {
      "content-type": asset.contentType,
      "cache-control": "public, max-age=300",
      "x-content-type-options": "nosniff",
    },
  });
}
