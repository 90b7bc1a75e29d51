ALTER TABLE `messages` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `send_attempts` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `lease_until` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `send_key` text;--> statement-breakpoint
CREATE INDEX `messages_queued_due_idx` ON `messages` (`due_at`) WHERE status = 'queued' AND due_at IS NOT NULL;