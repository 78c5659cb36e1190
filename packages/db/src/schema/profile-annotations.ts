import { primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * The `aviary.dev/profile` annotation of each target's router object as Aviary last saw it, so a
 * change made outside Aviary (also while it was down) is noticed and audited as drift.
 */
export const profileAnnotations = sqliteTable(
  'profile_annotations',
  {
    namespace: text('namespace').notNull(),
    service: text('service').notNull(),
    /** The annotation's text; null once it was removed. */
    value: text('value'),
    seenAt: text('seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.namespace, t.service] })],
);
