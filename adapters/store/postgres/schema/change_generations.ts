import { bigint, pgTable, text } from "drizzle-orm/pg-core";

/**
 * A counter per kind of change (`webhooks`): bumped after each change, polled by every
 * instance, so an instance that cached something learns within a poll that it changed — with
 * or without Redis (README "Running several instances").
 */
export const changeGenerations = pgTable("change_generations", {
  name: text("name").primaryKey(),
  value: bigint("value", { mode: "number" }).notNull(),
});
