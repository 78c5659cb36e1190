import type { AuditAction, Role } from '@aviary/contracts';
import { auditActions, roles } from '@aviary/contracts';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Who changed what. Append-only like `events`: triggers in the migrations abort any UPDATE or
 * DELETE. Never holds a secret: callers pass only what is safe to show an admin.
 */
export const audit = sqliteTable(
  'audit',
  {
    // AUTOINCREMENT so ids are never reused: the cursor pages by id.
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    role: text('role', { enum: roles }).$type<Role>(),
    sourceAddress: text('source_address'),
    action: text('action', { enum: auditActions }).$type<AuditAction>().notNull(),
    subject: text('subject'),
    before: text('before', { mode: 'json' }).$type<unknown>(),
    after: text('after', { mode: 'json' }).$type<unknown>(),
    reason: text('reason'),
  },
  (t) => [
    // GET /audit?from&to: newest first by id, filtered by time.
    index('audit_at_idx').on(t.at),
    // GET /audit?actor=…
    index('audit_actor_idx').on(t.actor, t.id),
    // GET /audit?action=…
    index('audit_action_idx').on(t.action, t.id),
  ],
);

export type AuditRow = typeof audit.$inferSelect;
