CREATE TABLE `target_policies` (
	`namespace` text NOT NULL,
	`service` text NOT NULL,
	`policy` text NOT NULL,
	`updated_at` text NOT NULL,
	`updated_by` text NOT NULL,
	PRIMARY KEY(`namespace`, `service`)
);
--> statement-breakpoint
CREATE TABLE `approvals` (
	`id` text PRIMARY KEY NOT NULL,
	`rollout_id` text NOT NULL,
	`namespace` text NOT NULL,
	`service` text NOT NULL,
	`action` text NOT NULL,
	`requested_by` text NOT NULL,
	`requested_at` text NOT NULL,
	`status` text NOT NULL,
	`decided_by` text,
	`decided_at` text,
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE restrict ON DELETE restrict
);
--> statement-breakpoint
CREATE UNIQUE INDEX `approvals_one_pending_per_rollout_uq` ON `approvals` (`rollout_id`) WHERE "approvals"."status" = 'pending';--> statement-breakpoint
CREATE INDEX `approvals_rollout_requested_idx` ON `approvals` (`rollout_id`,`requested_at`);--> statement-breakpoint
CREATE INDEX `approvals_status_requested_idx` ON `approvals` (`status`,`requested_at`);