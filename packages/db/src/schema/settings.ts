import { sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Server settings changed through the API (e.g. anonymous read-only access), one row per key. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
