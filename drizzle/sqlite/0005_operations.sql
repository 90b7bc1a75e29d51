CREATE TABLE `job_leases` (
	`name` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`lease_until` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `operator_alerts` (
	`id` text PRIMARY KEY NOT NULL,
	`topic` text NOT NULL,
	`incident_key` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer NOT NULL,
	`next_attempt_at` integer,
	`lease_until` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "operator_alerts_status_check" CHECK("operator_alerts"."status" IN ('pending', 'delivered', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operator_alerts_incident_key` ON `operator_alerts` (`incident_key`);--> statement-breakpoint
CREATE INDEX `operator_alerts_due_idx` ON `operator_alerts` (`next_attempt_at`) WHERE "operator_alerts"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `status_reports_waiting_idx` ON `status_reports` (`received_at`) WHERE "status_reports"."message_id" IS NULL;