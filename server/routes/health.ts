/**
 * `GET /health` (the process is up) and `GET /ready` (its backends answer),
 * docs/configuration.md#health.
 *
 * @module
 */
import { Type } from "@sinclair/typebox";
import { Elysia } from "elysia";

const Health = Type.Object({ status: Type.Literal("ok") }, { description: "The process is up" });
const Readiness = Type.Object(
  {
    status: Type.Union([Type.Literal("ready"), Type.Literal("unavailable")]),
    checks: Type.Record(Type.String(), Type.Union([Type.Literal("ok"), Type.Literal("down")])),
  },
  { description: "Each backend's state; 503 when one is down" },
);

/** A backend check for `/ready`: resolves true when the backend answers. */
export type ReadinessCheck = () => Promise<boolean>;

export function healthRoutes(checks: Record<string, ReadinessCheck>) {
  return new Elysia({ name: "health" })
    .get("/health", () => ({ status: "ok" as const }), {
      response: { 200: Health },
      detail: { tags: ["Health"], summary: "The process is up", security: [] },
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
        return { status: ready ? ("ready" as const) : ("unavailable" as const), checks: results };
      },
      {
        response: { 200: Readiness, 503: Readiness },
        detail: {
          tags: ["Health"],
          summary: "The database (and Redis, when used) answer",
          security: [],
        },
      },
    );
}
