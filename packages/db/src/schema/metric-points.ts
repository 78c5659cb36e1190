import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { rollouts } from './rollouts.ts';

/**
 * Chart samples of a rollout, one row per version per guard interval, so a finished rollout's
 * charts replay after Prometheus has dropped the data. NULL means "no data", never 0.
 */
export const metricPoints = sqliteTable(
  'metric_points',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    rolloutId: text('rollout_id')
      .notNull()
      .references(() => rollouts.id, { onDelete: 'restrict', onUpdate: 'restrict' }),
    at: text('at').notNull(),
    arm: text('arm', { enum: ['canary', 'stable'] }).notNull(),
    requestRate: real('request_rate'),
    errorRate: real('error_rate'),
    p50: real('p50'),
    p95: real('p95'),
    p99: real('p99'),
    business: text('business', { mode: 'json' }).$type<Record<string, number | null>>().notNull(),
  },
  (t) => [
    // GET /rollouts/:id/metrics?from&to: one rollout's points in time order.
    index('metric_points_rollout_at_idx').on(t.rolloutId, t.at),
  ],
);
