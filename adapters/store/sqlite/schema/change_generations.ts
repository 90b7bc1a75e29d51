import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * A counter per kind of change (`webhooks`): bumped after each change, polled by every
 * instance, so an instance that cached something learns within a poll that it changed — with
 * or without Redis (README "Running several instances").
 */
export const changeGenerations = sqliteTable("change_generations", {
  name: text("name").primaryKey(),
  value: integer("value").notNull(),
});
