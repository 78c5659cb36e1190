import type { TargetPolicy } from '@aviary/contracts';
import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** A target's two-person rule and freeze windows as saved through the API; absent means none. */
export const targetPolicies = sqliteTable(
  'target_policies',
  {
    namespace: text('namespace').notNull(),
    service: text('service').notNull(),
    policy: text('policy', { mode: 'json' })
      .$type<Omit<TargetPolicy, 'promotionThreshold'> & Partial<Pick<TargetPolicy, 'promotionThreshold'>>>()
      .notNull(),
    updatedAt: text('updated_at').notNull(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.service] })],
);

export type TargetPolicyRow = typeof targetPolicies.$inferSelect;
