ALTER TABLE "messages" ADD COLUMN "due_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_attempts" integer;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "lease_until" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "send_key" text;--> statement-breakpoint
CREATE INDEX "messages_queued_due_idx" ON "messages" USING btree ("due_at") WHERE status = 'queued' AND due_at IS NOT NULL;