-- The audit trail is append-only, like `events`: whatever the code path (or a stray sqlite3
-- shell), an UPDATE or DELETE of an audit record aborts its statement.
CREATE TRIGGER `audit_no_update` BEFORE UPDATE ON `audit`
BEGIN
	SELECT RAISE(ABORT, 'audit records are append-only: they cannot be changed');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_no_delete` BEFORE DELETE ON `audit`
BEGIN
	SELECT RAISE(ABORT, 'audit records are append-only: they cannot be deleted');
END;
