/**
 * The page's stylesheet and script, served from `/settings/assets/…` (the CSP allows no
 * inline code). Imported as text, so `bun build --compile` embeds them in the executable.
 *
 * @module
 */

import { errorReply, toResponse } from "../http/reply.ts";
import appJs from "./assets/app.js" with { type: "text" };
import baseCss from "./assets/base.css" with { type: "text" };
import formsCss from "./assets/forms.css" with { type: "text" };
import listsCss from "./assets/lists.css" with { type: "text" };

/** One static asset. */
export interface Asset {
  body: string;
  contentType: string;
}

/** The stylesheet is kept in three files by topic and served as one. */
const STYLESHEET = [baseCss, formsCss, listsCss].join("\n");

/** The assets by file name. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ["app.css", { body: STYLESHEET, contentType: "text/css; charset=utf-8" }],
  ["app.js", { body: appJs, contentType: "text/javascript; charset=utf-8" }],
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
