/**
 * Finishes the OpenAPI document the openapi plugin builds from the routes: named schemas
 * become `components.schemas`, every request body is JSON, every answer declares its
 * headers, and operation ids are unique. The routes stay the one source of every schema.
 *
 * @module
 */
import type { TObject, TSchema } from "@sinclair/typebox";
import { NAMED_SCHEMAS } from "../schemas/_common.ts";

type Json = Record<string, unknown>;

/** What the finishing needs of a route: its method, its path and the body schema it checks. */
export interface RouteInfo {
  method: string;
  path: string;
  hooks: { body?: unknown };
}

const HEADERS = {
  "x-request-id": {
    description: "The request's id; error bodies repeat it as requestId",
    schema: { type: "string" },
  },
  "Retry-After": {
    description: "Seconds to wait before trying again (a whole number, at most 86400)",
    schema: { type: "integer", minimum: 1, maximum: 86400 },
  },
  "Idempotent-Replayed": {
    description: "true when this is the stored answer of an earlier request with the same key",
    schema: { type: "string", enum: ["true"] },
  },
};

const SECURITY_SCHEMES = {
  integrationToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "se_…",
    description: "The token of a custom integration; it decides the channel (docs/api.md#tokens)",
  },
  adminKey: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "sk_…",
    description:
      "The operator key (SENDEASY_ADMIN_KEY) or a company's admin key (docs/api.md#admin-api)",
  },
};

/**
 * Header parameters of a route that reads its headers itself (so that Elysia checks nothing
 * before the route's own order of checks).
 *
 * @param schema an object schema, one property per header
 * @returns OpenAPI parameter objects
 */
export function headerParameters(schema: TObject): Json[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: "header",
    required: required.has(name),
    schema: plain(property),
  }));
}

/**
 * @param raw the plugin's document
 * @param options.serverUrl where this server is reached (SENDEASY_PUBLIC_URL)
 * @param options.routes the app's routes, for the body schemas the plugin cannot place
 * @returns the finished document
 */
export function finishDocument(
  raw: Json,
  options: { serverUrl: string; routes: readonly RouteInfo[] },
): Json {
  const doc = structuredClone(raw) as Json & { paths: Record<string, Record<string, Json>> };
  const bodies = bodySchemas(options.routes);
  const seen = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const body = bodies.get(`${method} ${path}`);
      if (body !== undefined) {
        operation.requestBody = {
          required: true,
          content: { "application/json": { schema: body } },
        };
      }
      finishParameters(operation);
      finishResponses(operation, `${method} ${path}`);
      operation.operationId = uniqueId(String(operation.operationId), method, seen);
    }
  }
  const components = (doc.components ?? {}) as Json;
  doc.components = {
    ...components,
    securitySchemes: SECURITY_SCHEMES,
    headers: HEADERS,
    schemas: {},
  };
  doc.servers = [{ url: options.serverUrl, description: "This server" }];
  const schemas: Json = {};
  const hoisted = hoist(doc, schemas) as Json;
  for (const [name, schema] of NAMED_SCHEMAS) {
    if (schemas[name] === undefined) schemas[name] = hoistRoot(plain(schema), schemas);
  }
  (hoisted.components as Json).schemas = Object.fromEntries(
    Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b)),
  );
  return hoisted;
}

function bodySchemas(routes: readonly RouteInfo[]): Map<string, unknown> {
  const bodies = new Map<string, unknown>();
  for (const route of routes) {
    if (route.hooks.body === undefined || typeof route.hooks.body !== "object") continue;
    const path = route.path.replace(/:([^/]+)/g, "{$1}");
    bodies.set(`${route.method.toLowerCase()} ${path}`, plain(route.hooks.body));
  }
  return bodies;
}

// Elysia's `t.Integer` in a query also accepts the text of an integer; the document says integer.
function finishParameters(operation: Json): void {
  const parameters = operation.parameters as Json[] | undefined;
  for (const parameter of parameters ?? []) {
    const schema = parameter.schema as Json | undefined;
    const anyOf = schema?.anyOf as Json[] | undefined;
    if (schema === undefined || anyOf === undefined) continue;
    const numeric = anyOf.filter((s) => s.type === "integer" || s.type === "number");
    if (numeric.length === 1 && anyOf.some((s) => s.type === "string" && s.format !== undefined)) {
      const { anyOf: _, ...rest } = schema;
      parameter.schema = { ...rest, ...numeric[0] };
    }
  }
}

function finishResponses(operation: Json, route: string): void {
  const responses = (operation.responses ?? {}) as Record<string, Json>;
  for (const [status, response] of Object.entries(responses)) {
    const headers: Json = { "x-request-id": { $ref: "#/components/headers/x-request-id" } };
    let description = String(response.description ?? "");
    const content = response.content as Record<string, { schema?: Json }> | undefined;
    const name = content?.["application/json"]?.schema?.$id;
    if (description === `Response for status ${status}` && typeof name === "string") {
      description = name;
      response.description = name;
    }
    if (status === "429" || description.includes("IDEMPOTENCY_IN_PROGRESS")) {
      headers["Retry-After"] = { $ref: "#/components/headers/Retry-After" };
    }
    if (route === "post /api/integration/generic" && status.startsWith("2")) {
      headers["Idempotent-Replayed"] = { $ref: "#/components/headers/Idempotent-Replayed" };
    }
    response.headers = headers;
    // The plugin writes `{ type: "null" }` as the content of an empty answer.
    if (status === "204") delete response.content;
  }
  operation.responses = responses;
}

// A path registered for every method shares one id; each method gets its own.
function uniqueId(id: string, method: string, seen: Set<string>): string {
  let unique = id;
  if (seen.has(unique)) unique = `${id}${method[0]?.toUpperCase()}${method.slice(1)}`;
  for (let n = 2; seen.has(unique); n++) unique = `${id}${n}`;
  seen.add(unique);
  return unique;
}

/** Replaces every schema named with `$id` by a `$ref` to its component. */
function hoist(value: unknown, schemas: Json): unknown {
  if (Array.isArray(value)) return value.map((item) => hoist(item, schemas));
  if (value === null || typeof value !== "object") return value;
  const node = value as Json;
  if (typeof node.$id === "string") {
    const name = node.$id;
    if (schemas[name] === undefined) {
      schemas[name] = {}; // reserved first: a schema that contains itself stops here
      const named = NAMED_SCHEMAS.get(name);
      schemas[name] = hoistRoot(named === undefined ? node : plain(named), schemas);
    }
    const ref: Json = { $ref: `#/components/schemas/${name}` };
    const componentDescription = (schemas[name] as Json).description;
    if (node.description !== undefined && node.description !== componentDescription) {
      ref.description = node.description;
    }
    return ref;
  }
  const out: Json = {};
  for (const [key, child] of Object.entries(node)) out[key] = hoist(child, schemas);
  return out;
}

function hoistRoot(schema: unknown, schemas: Json): Json {
  const { $id: _, ...rest } = schema as Json;
  return hoist(rest, schemas) as Json;
}

/** A TypeBox schema as plain JSON (its symbols dropped). */
function plain(schema: unknown): Json {
  return JSON.parse(JSON.stringify(schema as TSchema)) as Json;
}
