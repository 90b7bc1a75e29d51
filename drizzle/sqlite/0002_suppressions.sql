CREATE TABLE `suppressions` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`channel_type` text NOT NULL,
	`address` text NOT NULL,
	`reason` text NOT NULL,
	`message_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "suppressions_reason_check" CHECK("suppressions"."reason" IN ('stop', 'bounce', 'complaint', 'unsubscribe', 'manual'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `suppressions_address_key` ON `suppressions` (`company_id`,`channel_type`,`address`);--> statement-breakpoint
CREATE INDEX `suppressions_company_idx` ON `suppressions` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `whatsapp_contacts` (
	`channel_id` text NOT NULL,
	`contact` text NOT NULL,
	`last_inbound_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `contact`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
