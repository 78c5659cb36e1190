import type { Role, User } from '@aviary/contracts';
import { and, asc, count, eq, isNull } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { apiTokens, sessions, users } from './schema/index.ts';

export interface StoredUser extends User {
  passwordHash: string;
}

const live = isNull(users.deletedAt);

/** Local users; `null` when there is no live user by that id or name. */
export class UsersRepo {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  byName(username: string): StoredUser | null {
    return (
      this.db
        .select()
        .from(users)
        .where(and(eq(users.username, username), live))
        .get() ?? null
    );
  }

  byId(id: string): StoredUser | null {
    return (
      this.db
        .select()
        .from(users)
        .where(and(eq(users.id, id), live))
        .get() ?? null
    );
  }

  list(): User[] {
    return this.db
      .select({
        id: users.id,
        username: users.username,
        role: users.role,
        createdAt: users.createdAt,
        createdBy: users.createdBy,
      })
      .from(users)
      .where(live)
      .orderBy(asc(users.username))
      .all();
  }

  count(): number {
    return this.db.select({ n: count() }).from(users).where(live).get()?.n ?? 0;
  }

  /** Returns null when a live user already has the name (the unique index decides, across processes). */
  create(user: StoredUser): User | null {
    const row = this.db.insert(users).values(user).onConflictDoNothing().returning().get();
    if (!row) return null;
    const { passwordHash: _, deletedAt: __, ...rest } = row;
    return rest;
  }

  /** Marks the user deleted and, in the same transaction, revokes its sessions and tokens. */
  delete(id: string, at: string): boolean {
    return this.db.transaction((tx) => {
      const done = tx
        .update(users)
        .set({ deletedAt: at })
        .where(and(eq(users.id, id), live))
        .run();
      if (done.changes === 0) return false;
      tx.update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.userId, id), isNull(sessions.revokedAt)))
        .run();
      tx.update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.ownerId, id), isNull(apiTokens.revokedAt)))
        .run();
      return true;
    });
  }

  setRole(id: string, role: Role): void {
    this.db.update(users).set({ role }).where(eq(users.id, id)).run();
  }
}
