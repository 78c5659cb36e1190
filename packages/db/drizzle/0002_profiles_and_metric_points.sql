CREATE TABLE `metric_points` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`rollout_id` text NOT NULL,
	`at` text NOT NULL,
	`arm` text NOT NULL,
	`request_rate` real,
	`error_rate` real,
	`p50` real,
	`p95` real,
	`p99` real,
	`business` text NOT NULL,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE restrict ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `metric_points_rollout_at_idx` ON `metric_points` (`rollout_id`,`at`);--> statement-breakpoint
CREATE TABLE `target_profiles` (
	`namespace` text NOT NULL,
	`service` text NOT NULL,
	`profile` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`namespace`, `service`)
);
