import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { HttpWebhookTransport } from "../../../adapters/webhooks/http_transport.ts";

// A real receiver on loopback; each path answers one way.
let server: ReturnType<typeof Bun.serve>;
const long = "a".repeat(1000) + "b".repeat(4000);

beforeAll(() => {
  server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    fetch(request) {
      const path = new URL(request.url).pathname;
      if (path === "/short") return new Response("ok thanks", { status: 200 });
      if (path === "/long") return new Response(long, { status: 500 });
      if (path === "/streamed") {
        // No Content-Length: the transport must stop pulling after 2 KiB.
        const body = new Blob([long]).stream();
        return new Response(body, { status: 503, headers: { "retry-after": "7" } });
      }
      if (path === "/redirect") return Response.redirect("http://127.0.0.1:1/", 302);
      return new Response("", { status: 404 });
    },
  });
});
afterAll(() => server.stop(true));

const transport = new HttpWebhookTransport({ allowPrivate: true });
const post = (path: string) =>
  transport.post({
    url: `http://127.0.0.1:${server.port}${path}`,
    headers: { "content-type": "application/json" },
    body: "{}",
    timeoutMs: 5_000,
  });

describe("HttpWebhookTransport.post()", () => {
  test("logs a short answer whole", async () => {
    const response = await post("/short");
    expect(response).toMatchObject({ statusCode: 200, body: "ok thanks", error: null });
  });

  test("keeps the first 2 KiB of a long answer, with or without Content-Length", async () => {
    const declared = await post("/long");
    expect(declared.statusCode).toBe(500);
    expect(declared.body).toBe(long.slice(0, 2048));
    const streamed = await post("/streamed");
    expect(streamed.statusCode).toBe(503);
    expect(streamed.body).toBe(long.slice(0, 2048));
    expect(streamed.retryAfter).toBe("7");
  });

  test("does not follow a redirect", async () => {
    const response = await post("/redirect");
    expect(response.statusCode).toBe(302);
  });
});
