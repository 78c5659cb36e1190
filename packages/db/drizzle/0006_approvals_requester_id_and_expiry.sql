ALTER TABLE `approvals` ADD `requested_by_id` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `approvals` ADD `expires_at` text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Approvals stored before these columns: the requester is known by name only, and each expires
-- 24 hours (the default) after it was requested.
UPDATE `approvals` SET `requested_by_id` = 'name:' || `requested_by` WHERE `requested_by_id` = '';--> statement-breakpoint
UPDATE `approvals` SET `expires_at` = strftime('%Y-%m-%dT%H:%M:%fZ', `requested_at`, '+24 hours') WHERE `expires_at` = '';
