import type { MetricProfile } from '@aviary/contracts';
import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A target's metric profile as saved through the API (annotation and default profiles are not stored). */
export const targetProfiles = sqliteTable(
  'target_profiles',
  {
    namespace: text('namespace').notNull(),
    service: text('service').notNull(),
    profile: text('profile', { mode: 'json' }).$type<MetricProfile>().notNull(),
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.service] })],
);
