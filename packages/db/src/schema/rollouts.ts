import type { PendingOperation } from '@aviary/core';
import { type RolloutPhase, type RouterProvider, rolloutPhases, routerProviders } from '@aviary/contracts';
import { sql } from 'drizzle-orm';
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * One row per rollout attempt. Timestamps are ISO-8601 UTC strings as `Date#toISOString()`
 * writes them: they sort as text, which the cursor pagination relies on.
 */
export const rollouts = sqliteTable(
  'rollouts',
  {
    id: text('id').primaryKey(),
    namespace: text('namespace').notNull(),
    service: text('service').notNull(),
    router: text('router', { enum: routerProviders }).$type<RouterProvider>().notNull(),
    stableImage: text('stable_image').notNull(),
    canaryImage: text('canary_image').notNull(),
    phase: text('phase', { enum: rolloutPhases }).$type<RolloutPhase>().notNull(),
    weight: integer('weight').notNull(),
    stepIndex: integer('step_index').notNull(),
    steps: text('steps', { mode: 'json' }).$type<number[]>().notNull(),
    version: integer('version').notNull(),
    operation: text('operation', { mode: 'json' }).$type<PendingOperation>(),
    reason: text('reason'),
    createdBy: text('created_by').notNull(),
    createdAt: text('created_at').notNull(),
    updatedAt: text('updated_at').notNull(),
  },
  (t) => [
    // One active rollout per target, held by the database so two API processes sharing the
    // file cannot both start one. Keep the phase list in step with `finalPhases`.
    uniqueIndex('rollouts_one_active_per_target_uq')
      .on(t.namespace, t.service)
      .where(sql`${t.phase} NOT IN ('promoted', 'rolled-back')`),
    // GET /rollouts: newest first, cursor on (created_at, id).
    index('rollouts_created_idx').on(t.createdAt, t.id),
    // GET /rollouts?phase=…, and listActive() at startup recovery.
    index('rollouts_phase_created_idx').on(t.phase, t.createdAt, t.id),
    // GET /rollouts?namespace=…&service=…: one target's history, newest first.
    index('rollouts_target_created_idx').on(t.namespace, t.service, t.createdAt, t.id),
  ],
);

export type RolloutRow = typeof rollouts.$inferSelect;
export type NewRolloutRow = typeof rollouts.$inferInsert;
