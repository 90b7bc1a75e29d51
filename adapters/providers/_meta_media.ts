/**
 * One Cloud API media message per file, its type chosen by the URL's extension (Meta's
 * supported media types); anything else goes as a document, which takes every file type.
 *
 * @module
 */

const KINDS: Readonly<Record<string, "image" | "video" | "audio">> = {
  jpg: "image",
  jpeg: "image",
  png: "image",
  mp4: "video",
  "3gp": "video",
  aac: "audio",
  amr: "audio",
  mp3: "audio",
  m4a: "audio",
  ogg: "audio",
  opus: "audio",
};

/**
 * @param file an absolute http(s) URL
 * @returns the `type` and its object, e.g. `{ type: "image", image: { link } }`; documents
 * carry the file name from the URL so the recipient sees it
 * @example
 * mediaMessage("https://landing.com/deck.pdf");
 * // { type: "document", document: { link: "https://landing.com/deck.pdf", filename: "deck.pdf" } }
 */
export function mediaMessage(file: string): Record<string, unknown> {
  const name = fileName(file);
  const extension = name.includes(".") ? name.slice(name.lastIndexOf(".") + 1).toLowerCase() : "";
  const kind = KINDS[extension];
  if (kind !== undefined) return { type: kind, [kind]: { link: file } };
  return { type: "document", document: { link: file, ...(name === "" ? {} : { filename: name }) } };
}

function fileName(file: string): string {
  if (!URL.canParse(file)) return "";
  const last = new URL(file).pathname.split("/").pop() ?? "";
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
