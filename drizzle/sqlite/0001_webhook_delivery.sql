DROP INDEX `deliveries_due_idx`;--> statement-breakpoint
CREATE INDEX `deliveries_webhook_due_idx` ON `deliveries` (`webhook_id`,`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_lease_idx` ON `deliveries` (`lease_until`) WHERE "deliveries"."lease_until" IS NOT NULL;--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_events` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`channel_id` text,
	`type` text NOT NULL,
	`message_id` text,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_events`("id", "company_id", "channel_id", "type", "message_id", "payload", "created_at") SELECT "id", "company_id", "channel_id", "type", "message_id", "payload", "created_at" FROM `events`;--> statement-breakpoint
DROP TABLE `events`;--> statement-breakpoint
ALTER TABLE `__new_events` RENAME TO `events`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `events_company_idx` ON `events` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_company_channel_idx` ON `events` (`company_id`,`channel_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_message_idx` ON `events` (`message_id`);--> statement-breakpoint
ALTER TABLE `integrations` ADD `failing_since` integer;