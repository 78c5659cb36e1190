CREATE TABLE `events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rollout_id` text NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`from_weight` integer,
	`to_weight` integer,
	`from_phase` text,
	`to_phase` text,
	`reason` text,
	`details` text,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE restrict ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `events_rollout_id_idx` ON `events` (`rollout_id`,`id`);--> statement-breakpoint
CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`scope` text NOT NULL,
	`request_hash` text NOT NULL,
	`status_code` integer,
	`response` text,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `idempotency_keys_created_idx` ON `idempotency_keys` (`created_at`);--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`namespace` text NOT NULL,
	`service` text NOT NULL,
	`router` text NOT NULL,
	`stable_image` text NOT NULL,
	`canary_image` text NOT NULL,
	`phase` text NOT NULL,
	`weight` integer NOT NULL,
	`step_index` integer NOT NULL,
	`steps` text NOT NULL,
	`version` integer NOT NULL,
	`operation` text,
	`reason` text,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `rollouts_one_active_per_target_uq` ON `rollouts` (`namespace`,`service`) WHERE "rollouts"."phase" NOT IN ('promoted', 'rolled-back');--> statement-breakpoint
CREATE INDEX `rollouts_created_idx` ON `rollouts` (`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `rollouts_phase_created_idx` ON `rollouts` (`phase`,`created_at`,`id`);--> statement-breakpoint
CREATE INDEX `rollouts_target_created_idx` ON `rollouts` (`namespace`,`service`,`created_at`,`id`);