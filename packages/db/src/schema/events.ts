import type { EventAction, RolloutPhase } from '@aviary/contracts';
import { eventActions, rolloutPhases } from '@aviary/contracts';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { rollouts } from './rollouts.ts';

/**
 * The rollout history. Append-only: triggers in the migrations abort any UPDATE or DELETE, so
 * no code path (nor a stray `sqlite3` session) can rewrite what happened.
 */
export const events = sqliteTable(
  'events',
  {
    // AUTOINCREMENT so an id is never reused: clients page the history with `afterId`.
    id: integer('id').primaryKey({ autoIncrement: true }),
    rolloutId: text('rollout_id')
      .notNull()
      .references(() => rollouts.id, { onDelete: 'restrict', onUpdate: 'restrict' }),
    at: text('at').notNull(),
    actor: text('actor').notNull(),
    action: text('action', { enum: eventActions }).$type<EventAction>().notNull(),
    fromWeight: integer('from_weight'),
    toWeight: integer('to_weight'),
    fromPhase: text('from_phase', { enum: rolloutPhases }).$type<RolloutPhase>(),
    toPhase: text('to_phase', { enum: rolloutPhases }).$type<RolloutPhase>(),
    reason: text('reason'),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
  },
  (t) => [
    // GET /rollouts/:id/events?after=…: one rollout's events in id order.
    index('events_rollout_id_idx').on(t.rolloutId, t.id),
  ],
);

export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;
