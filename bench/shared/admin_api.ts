/**
 * The admin API calls the benches make to set Sendeasy up, as an operator would
 * (bench/README.md#send).
 *
 * @module
 */

/** The operator admin key every bench server is started with. */
export const ADMIN_KEY = "bench-operator-key-0123456789abcdef";

/**
 * `POST /api/admin<path>` with `key` on the server at `baseUrl`.
 *
 * @returns the JSON answer
 * @throws when it answers anything but 201
 */
export async function adminPost(
  baseUrl: string,
  key: string,
  path: string,
  body: unknown,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${baseUrl}/api/admin${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status !== 201) {
    throw new Error(`admin POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  }
  return json;
}
