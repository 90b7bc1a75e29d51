CREATE TABLE `admin_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `admin_keys_hash_unique` ON `admin_keys` (`hash`);--> statement-breakpoint
CREATE INDEX `admin_keys_company_idx` ON `admin_keys` (`company_id`);--> statement-breakpoint
CREATE TABLE `channels` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`type` text NOT NULL,
	`provider` text NOT NULL,
	`name` text NOT NULL,
	`address` text NOT NULL,
	`config_sealed` text NOT NULL,
	`credits` integer,
	`created_at` integer NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "channels_type_check" CHECK("channels"."type" IN ('whatsapp', 'email', 'sms')),
	CONSTRAINT "channels_credits_check" CHECK("channels"."credits" IS NULL OR "channels"."credits" >= 0)
);
--> statement-breakpoint
CREATE INDEX `channels_company_idx` ON `channels` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `companies` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `companies_created_at_idx` ON `companies` (`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`event_id` text NOT NULL,
	`webhook_id` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`last_status_code` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`event_id`) REFERENCES `events`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`webhook_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "deliveries_status_check" CHECK("deliveries"."status" IN ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE INDEX `deliveries_due_idx` ON `deliveries` (`status`,`next_attempt_at`);--> statement-breakpoint
CREATE INDEX `deliveries_event_idx` ON `deliveries` (`event_id`);--> statement-breakpoint
CREATE INDEX `deliveries_webhook_idx` ON `deliveries` (`webhook_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_company_idx` ON `deliveries` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `delivery_attempts` (
	`id` text PRIMARY KEY NOT NULL,
	`delivery_id` text NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`duration_ms` integer NOT NULL,
	`status_code` integer,
	`response_body` text,
	`error` text,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "delivery_attempts_trigger_check" CHECK("delivery_attempts"."trigger" IN ('scheduled', 'manual'))
);
--> statement-breakpoint
CREATE INDEX `delivery_attempts_delivery_idx` ON `delivery_attempts` (`delivery_id`,`id`);--> statement-breakpoint
CREATE TABLE `events` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`type` text NOT NULL,
	`message_id` text,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `events_company_idx` ON `events` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `events_message_idx` ON `events` (`message_id`);--> statement-breakpoint
CREATE TABLE `idempotency_records` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`state` text NOT NULL,
	`status` integer,
	`body` text,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`),
	CONSTRAINT "idempotency_records_state_check" CHECK("idempotency_records"."state" IN ('pending', 'done'))
);
--> statement-breakpoint
CREATE INDEX `idempotency_records_expires_idx` ON `idempotency_records` (`expires_at`);--> statement-breakpoint
CREATE TABLE `integrations` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`channel_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`deleted_at` integer,
	`scope` text,
	`url` text,
	`bearer_token_sealed` text,
	`events` text,
	`disabled_reason` text,
	`signing_secrets_sealed` text,
	`token_prefix` text,
	`token_created_at` integer,
	`rotated_at` integer,
	`last_used_at` integer,
	`expires_at` integer,
	`rate_limit_per_second` integer,
	`rate_limit_burst` integer,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "integrations_kind_check" CHECK("integrations"."kind" IN ('webhook', 'custom')),
	CONSTRAINT "integrations_webhook_check" CHECK("integrations"."kind" <> 'webhook' OR ("integrations"."scope" IS NOT NULL AND "integrations"."url" IS NOT NULL AND "integrations"."signing_secrets_sealed" IS NOT NULL AND ("integrations"."scope" = 'general') = ("integrations"."channel_id" IS NULL))),
	CONSTRAINT "integrations_custom_check" CHECK("integrations"."kind" <> 'custom' OR ("integrations"."channel_id" IS NOT NULL AND "integrations"."token_prefix" IS NOT NULL AND "integrations"."token_created_at" IS NOT NULL)),
	CONSTRAINT "integrations_rate_limit_check" CHECK(("integrations"."rate_limit_per_second" IS NULL) = ("integrations"."rate_limit_burst" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `integrations_company_idx` ON `integrations` (`company_id`,`id`);--> statement-breakpoint
CREATE TABLE `messages` (
	`id` text PRIMARY KEY NOT NULL,
	`company_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`channel_type` text NOT NULL,
	`direction` text NOT NULL,
	`integration_id` text,
	`status` text NOT NULL,
	`provider` text NOT NULL,
	`provider_message_id` text,
	`recipients` text NOT NULL,
	`sender` text NOT NULL,
	`payload` text NOT NULL,
	`segments` integer,
	`credits` integer NOT NULL,
	`error_code` text,
	`error_message` text,
	`history` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`company_id`) REFERENCES `companies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_company_idx` ON `messages` (`company_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_company_channel_idx` ON `messages` (`company_id`,`channel_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_provider_id_idx` ON `messages` (`channel_id`,`provider_message_id`);--> statement-breakpoint
CREATE TABLE `tokens` (
	`hash` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "tokens_status_check" CHECK("tokens"."status" IN ('active', 'rotated', 'revoked'))
);
--> statement-breakpoint
CREATE INDEX `tokens_integration_idx` ON `tokens` (`integration_id`,`status`);