import type { Role } from '@aviary/contracts';
import { roles } from '@aviary/contracts';
import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { apiTokens } from './api-tokens.ts';
import { users } from './users.ts';

/**
 * Dashboard sessions. The cookie holds a random id; only its SHA-256 is stored, so a copy of
 * the database does not let anyone sign in.
 */
export const sessions = sqliteTable(
  'sessions',
  {
    idHash: text('id_hash').primaryKey(),
    // Exactly one of: a local user, an API token (login with a token), or neither (bootstrap token).
    userId: text('user_id').references(() => users.id, { onDelete: 'restrict' }),
    tokenId: text('token_id').references(() => apiTokens.id, { onDelete: 'restrict' }),
    actor: text('actor').notNull(),
    // For bootstrap-token sessions: a short fingerprint of AVIARY_ADMIN_TOKEN (too short to guess
    // it from), so changing that token ends the sessions it started.
    bootstrapFingerprint: text('bootstrap_fingerprint'),
    // The role at login; the effective role is re-read from the user or token on every request.
    role: text('role', { enum: roles }).$type<Role>().notNull(),
    csrfToken: text('csrf_token').notNull(),
    createdAt: text('created_at').notNull(),
    lastSeenAt: text('last_seen_at').notNull(),
    expiresAt: text('expires_at').notNull(),
    revokedAt: text('revoked_at'),
  },
  (t) => [
    // Deleting a user or revoking a token ends its sessions.
    index('sessions_user_idx').on(t.userId),
    index('sessions_token_idx').on(t.tokenId),
  ],
);

export type SessionRow = typeof sessions.$inferSelect;
