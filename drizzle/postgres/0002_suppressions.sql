CREATE TABLE "suppressions" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"channel_type" text NOT NULL,
	"address" text NOT NULL,
	"reason" text NOT NULL,
	"message_id" text,
	"created_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "suppressions_reason_check" CHECK ("suppressions"."reason" IN ('stop', 'bounce', 'complaint', 'unsubscribe', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "whatsapp_contacts" (
	"channel_id" text NOT NULL,
	"contact" text NOT NULL,
	"last_inbound_at" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "whatsapp_contacts_channel_id_contact_pk" PRIMARY KEY("channel_id","contact")
);
--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whatsapp_contacts" ADD CONSTRAINT "whatsapp_contacts_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "suppressions_address_key" ON "suppressions" USING btree ("company_id","channel_type","address");--> statement-breakpoint
CREATE INDEX "suppressions_company_idx" ON "suppressions" USING btree ("company_id","id");