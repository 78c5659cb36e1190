CREATE TABLE `profile_annotations` (
	`namespace` text NOT NULL,
	`service` text NOT NULL,
	`value` text,
	`seen_at` text NOT NULL,
	PRIMARY KEY(`namespace`, `service`)
);
