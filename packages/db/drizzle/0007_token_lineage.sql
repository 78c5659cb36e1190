ALTER TABLE `api_tokens` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `api_tokens` ADD `bootstrap_fingerprint` text;--> statement-breakpoint
CREATE INDEX `api_tokens_parent_idx` ON `api_tokens` (`parent_id`);