import type { ActionRequest } from '@aviary/contracts';
import { approvalStatuses } from '@aviary/contracts';
import { sql } from 'drizzle-orm';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { rollouts } from './rollouts.ts';

/** Actions waiting for (or decided by) a second operator: the two-person rule. */
export const approvals = sqliteTable(
  'approvals',
  {
    id: text('id').primaryKey(),
    rolloutId: text('rollout_id')
      .notNull()
      .references(() => rollouts.id, { onDelete: 'restrict', onUpdate: 'restrict' }),
    namespace: text('namespace').notNull(),
    service: text('service').notNull(),
    action: text('action', { mode: 'json' }).$type<ActionRequest>().notNull(),
    requestedBy: text('requested_by').notNull(),
    // Who requested it as a stable id (`user:<id>`, `proxy:<name>`, `bootstrap`): the two-person
    // rule compares these, never display names. Rows from before it: `name:<requested_by>`.
    requestedById: text('requested_by_id').notNull().default(''),
    requestedAt: text('requested_at').notNull(),
    // After this instant it cannot be approved any more (AVIARY_APPROVAL_TTL_HOURS after the request).
    expiresAt: text('expires_at').notNull().default(''),
    status: text('status', { enum: approvalStatuses }).notNull(),
    decidedBy: text('decided_by'),
    decidedAt: text('decided_at'),
  },
  (t) => [
    // At most one pending approval per rollout, held by the database (two API processes too);
    // also how a rollout's pending approval is found.
    uniqueIndex('approvals_one_pending_per_rollout_uq').on(t.rolloutId).where(sql`${t.status} = 'pending'`),
    // GET /approvals?rolloutId=…: one rollout's approvals, newest first.
    index('approvals_rollout_requested_idx').on(t.rolloutId, t.requestedAt),
    // GET /approvals?status=pending: what waits for a second operator, newest first.
    index('approvals_status_requested_idx').on(t.status, t.requestedAt),
  ],
);

export type ApprovalRow = typeof approvals.$inferSelect;
