-- Hand-edited: before the unique key on inbound provider ids, the copies that concurrent
-- duplicate callbacks stored earlier lose their provider id (the oldest keeps it), so the
-- index can be built; their rows and events stay.
CREATE TABLE `change_generations` (
	`name` text PRIMARY KEY NOT NULL,
	`value` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `status_reports` (
	`channel_id` text NOT NULL,
	`provider_message_id` text NOT NULL,
	`key` text NOT NULL,
	`message_id` text,
	`report` text NOT NULL,
	`event` text,
	`received_at` integer NOT NULL,
	PRIMARY KEY(`channel_id`, `provider_message_id`, `key`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
UPDATE `messages` SET `provider_message_id` = NULL
WHERE `direction` = 'inbound' AND `provider_message_id` IS NOT NULL AND EXISTS (
	SELECT 1 FROM `messages` AS `first`
	WHERE `first`.`direction` = 'inbound' AND `first`.`channel_id` = `messages`.`channel_id`
		AND `first`.`provider_message_id` = `messages`.`provider_message_id` AND `first`.`id` < `messages`.`id`
);--> statement-breakpoint
CREATE UNIQUE INDEX `messages_inbound_provider_id_key` ON `messages` (`channel_id`,`provider_message_id`) WHERE direction = 'inbound';--> statement-breakpoint
CREATE INDEX `messages_sandbox_sent_idx` ON `messages` (`created_at`) WHERE provider = 'sandbox' AND status = 'sent';