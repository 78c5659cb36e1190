import type { Role } from '@aviary/contracts';
import { roles } from '@aviary/contracts';
import { sql } from 'drizzle-orm';
import { sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * Local users. A deleted user keeps its row (`deleted_at`) so audit records and tokens still
 * name someone; its name can be given to a new user.
 */
export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    // `scrypt$N$r$p$<salt b64>$<key b64>`: the parameters travel with the hash so they can be raised.
    passwordHash: text('password_hash').notNull(),
    role: text('role', { enum: roles }).$type<Role>().notNull(),
    createdAt: text('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    deletedAt: text('deleted_at'),
  },
  (t) => [
    // Login by name, and one live user per name.
    uniqueIndex('users_live_username_uq').on(t.username).where(sql`${t.deletedAt} IS NULL`),
  ],
);

export type UserRow = typeof users.$inferSelect;
