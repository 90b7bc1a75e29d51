/**
 * Small schemas the admin and send schemas share, and how a schema gets its name in the
 * OpenAPI document.
 *
 * @module
 */
import { type TSchema, Type } from "@sinclair/typebox";
import { IsoDate } from "../../core/_iso_date.ts";
import { CHANNEL_TYPES } from "../../core/domain.ts";

/**
 * Names a schema: the OpenAPI document lists it once under `components.schemas` and refers
 * to it everywhere else (see `server/docs/openapi_document.ts`).
 *
 * @param name the component's name, e.g. `"ChannelView"`
 * @param schema the schema (left untouched; a named copy is returned)
 * @returns the same schema with `$id` set to the name
 */
export function named<S extends TSchema>(name: string, schema: S): S {
  const copy = { ...schema, $id: name };
  NAMED_SCHEMAS.set(name, copy);
  return copy;
}

/** Every schema {@linkcode named} so far, by name: the document's `components.schemas`. */
export const NAMED_SCHEMAS = new Map<string, TSchema>();

/** `whatsapp`, `email` or `sms`. */
export const ChannelTypeSchema = Type.Union(CHANNEL_TYPES.map((type) => Type.Literal(type)));

/** A provider name. */
export const ProviderSchema = Type.Union([
  Type.Literal("sandbox"),
  Type.Literal("resend"),
  Type.Literal("twilio"),
  Type.Literal("meta"),
  Type.Literal("smtp"),
]);

/** Timestamps as the admin API writes them (`Date.prototype.toISOString()`). */
export const Iso = IsoDate;

/** A timestamp or `null`. */
export const IsoOrNull = Type.Union([Iso, Type.Null()]);

/**
 * A cursor-paginated list: `{ data, nextCursor }`, newest first (docs/api.md#lists).
 *
 * @param name the component's name, e.g. `"ChannelPage"`
 * @param item the schema of one item
 */
export function page<S extends TSchema>(name: string, item: S) {
  return named(
    name,
    Type.Object(
      {
        data: Type.Array(item),
        nextCursor: Type.Union([Type.String(), Type.Null()], {
          description: "Pass as ?cursor= for the next page; null on the last page",
        }),
      },
      { additionalProperties: false },
    ),
  );
}

/** The `:id` of a resource path. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1 }) });
