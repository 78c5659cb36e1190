import type { Role } from '@aviary/contracts';
import { roles } from '@aviary/contracts';
import { index, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users.ts';

/** API tokens. Only a SHA-256 of the secret is kept: the secret itself is shown once. */
export const apiTokens = sqliteTable(
  'api_tokens',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: roles }).$type<Role>().notNull(),
    // NULL for tokens made with the bootstrap AVIARY_ADMIN_TOKEN (owner `admin`).
    ownerId: text('owner_id').references(() => users.id, { onDelete: 'restrict' }),
    ownerName: text('owner_name').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: text('created_at').notNull(),
    expiresAt: text('expires_at'),
    lastUsedAt: text('last_used_at'),
    revokedAt: text('revoked_at'),
    // The token whose bearer made this one (revoking it revokes this too); NULL otherwise.
    parentId: text('parent_id'),
    // For tokens made with the bootstrap AVIARY_ADMIN_TOKEN: which one, so a rotation ends them.
    bootstrapFingerprint: text('bootstrap_fingerprint'),
  },
  (t) => [
    // Every authenticated API request: find the token by the hash of what it presented.
    uniqueIndex('api_tokens_secret_hash_uq').on(t.secretHash),
    // GET /tokens for one owner; revoking a deleted user's tokens.
    index('api_tokens_owner_idx').on(t.ownerId),
    // Revoking a token revokes its children.
    index('api_tokens_parent_idx').on(t.parentId),
  ],
);

export type ApiTokenRow = typeof apiTokens.$inferSelect;
