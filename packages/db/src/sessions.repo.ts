import { and, eq, isNull, lt } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { type SessionRow, sessions } from './schema/index.ts';

export type StoredSession = SessionRow;

/** Server-side sessions, keyed by the SHA-256 of the cookie's random id. */
export class SessionsRepo {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  create(session: Omit<StoredSession, 'revokedAt'>): void {
    this.db.insert(sessions).values(session).run();
  }

  byIdHash(idHash: string): StoredSession | null {
    return this.db.select().from(sessions).where(eq(sessions.idHash, idHash)).get() ?? null;
  }

  /** Slides the idle expiry, at most once per `notSince` to spare writes. */
  touch(idHash: string, at: string, notSince: string): void {
    this.db
      .update(sessions)
      .set({ lastSeenAt: at })
      .where(and(eq(sessions.idHash, idHash), lt(sessions.lastSeenAt, notSince)))
      .run();
  }

  revoke(idHash: string, at: string): void {
    this.db
      .update(sessions)
      .set({ revokedAt: at })
      .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
      .run();
  }

  /** Forget sessions that ended before `date`; they cannot be used again anyway. */
  purgeExpiredBefore(date: string): number {
    return this.db.delete(sessions).where(lt(sessions.expiresAt, date)).run().changes;
  }
}
