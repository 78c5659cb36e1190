-- The history is append-only: whatever the code path (or a stray sqlite3 shell), an UPDATE or
-- DELETE of an event aborts its statement. drizzle-kit cannot express triggers, hence this
-- hand-written migration.
CREATE TRIGGER `events_no_update` BEFORE UPDATE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: record a new event instead of changing one');
END;
--> statement-breakpoint
CREATE TRIGGER `events_no_delete` BEFORE DELETE ON `events`
BEGIN
	SELECT RAISE(ABORT, 'events are append-only: the rollout history cannot be deleted');
END;
