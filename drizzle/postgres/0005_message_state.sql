-- Hand-edited: before the unique key on inbound provider ids, the copies that concurrent
-- duplicate callbacks stored earlier lose their provider id (the oldest keeps it), so the
-- index can be built; their rows and events stay.
CREATE TABLE "change_generations" (
	"name" text PRIMARY KEY NOT NULL,
	"value" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "status_reports" (
	"channel_id" text NOT NULL,
	"provider_message_id" text NOT NULL,
	"key" text NOT NULL,
	"message_id" text,
	"report" jsonb NOT NULL,
	"event" jsonb,
	"received_at" timestamp (3) with time zone NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "status_reports_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "status_reports_channel_id_provider_message_id_key_pk" PRIMARY KEY("channel_id","provider_message_id","key")
);
--> statement-breakpoint
ALTER TABLE "status_reports" ADD CONSTRAINT "status_reports_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "status_reports" ADD CONSTRAINT "status_reports_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
UPDATE "messages" SET "provider_message_id" = NULL
WHERE "direction" = 'inbound' AND "provider_message_id" IS NOT NULL AND EXISTS (
	SELECT 1 FROM "messages" AS "first"
	WHERE "first"."direction" = 'inbound' AND "first"."channel_id" = "messages"."channel_id"
		AND "first"."provider_message_id" = "messages"."provider_message_id" AND "first"."id" < "messages"."id"
);--> statement-breakpoint
CREATE UNIQUE INDEX "messages_inbound_provider_id_key" ON "messages" USING btree ("channel_id","provider_message_id") WHERE direction = 'inbound';--> statement-breakpoint
CREATE INDEX "messages_sandbox_sent_idx" ON "messages" USING btree ("created_at") WHERE provider = 'sandbox' AND status = 'sent';