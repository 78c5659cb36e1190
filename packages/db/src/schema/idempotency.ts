import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * `Idempotency-Key` records: a retried write gets the first answer instead of acting twice.
 * `status_code` stays NULL while the first request is still running.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    key: text('key').primaryKey(),
    // Who may reuse the key for what, e.g. `POST /api/v1/rollouts alice`.
    scope: text('scope').notNull(),
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: text('response', { mode: 'json' }).$type<unknown>(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    // purgeOlderThan(): the periodic sweep of expired keys.
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
