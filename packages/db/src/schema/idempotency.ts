import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * `Idempotency-Key` records: a retried write gets the first answer instead of acting twice.
 * `status_code` stays NULL while the first request is still running.
 */
export const idempotencyKeys = sqliteTable(
  'idempotency_keys',
  {
    // The principal's stable id (`user:<id>`, `bootstrap`, `proxy:<name>`): one caller's keys
    // never collide with, block or reveal another's.
    owner: text('owner').notNull(),
    key: text('key').notNull(),
    // What the key was used for, e.g. `POST /api/v1/rollouts/:id/actions r-1`.
    scope: text('scope').notNull(),
    // A keyed hash (HMAC) of the body, so the table does not let anyone test guesses of it.
    requestHash: text('request_hash').notNull(),
    statusCode: integer('status_code'),
    response: text('response', { mode: 'json' }).$type<unknown>(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.owner, t.key] }),
    // purgeOlderThan(): the periodic sweep of expired keys.
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
