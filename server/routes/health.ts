/**
 * `GET /health` (the process is up) and `GET /ready` (its backends answer), SPEC.md §10.
 *
 * @module
 */
import { Elysia } from "elysia";

/** A backend check for `/ready`: resolves true when the backend answers. */
export type ReadinessCheck = () => Promise<boolean>;

export function healthRoutes(checks: Record<string, ReadinessCheck>) {
  return new Elysia({ name: "health" })
    .get("/health", () => ({ status: "ok" }), {
      detail: { tags: ["Health"], summary: "The process is up" },
    })
    .get(
      "/ready",
      async ({ set }) => {
        const results: Record<string, "ok" | "down"> = {};
        for (const [name, check] of Object.entries(checks)) {
          results[name] = await check().then(
            (up) => (up ? "ok" : "down"),
            () => "down",
          );
        }
        const ready = Object.values(results).every((r) => r === "ok");
        set.status = ready ? 200 : 503;
        return { status: ready ? "ready" : "unavailable", checks: results };
      },
      { detail: { tags: ["Health"], summary: "The database (and Redis, when used) answer" } },
    );
}
