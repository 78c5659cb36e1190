import type { ApiToken } from '@aviary/contracts';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { type ApiTokenRow, apiTokens, sessions } from './schema/index.ts';

export interface StoredToken extends ApiToken {
  ownerId: string | null;
  parentId: string | null;
  bootstrapFingerprint: string | null;
}

const toToken = ({ secretHash: _, ownerName, ...row }: ApiTokenRow): StoredToken => ({
  ...row,
  owner: ownerName,
});

/** API tokens, found by the SHA-256 of their secret; the secret itself is never stored. */
export class TokensRepo {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  create(
    token: Omit<StoredToken, 'lastUsedAt' | 'revokedAt' | 'parentId' | 'bootstrapFingerprint'> &
      Partial<Pick<StoredToken, 'parentId' | 'bootstrapFingerprint'>>,
    secretHash: string,
  ): StoredToken {
    const { owner, ...rest } = token;
    const row = this.db
      .insert(apiTokens)
      .values({ ...rest, ownerName: owner, secretHash })
      .returning()
      .get();
    return toToken(row);
  }

  bySecretHash(secretHash: string): StoredToken | null {
    const row = this.db.select().from(apiTokens).where(eq(apiTokens.secretHash, secretHash)).get();
    return row ? toToken(row) : null;
  }

  byId(id: string): StoredToken | null {
    const row = this.db.select().from(apiTokens).where(eq(apiTokens.id, id)).get();
    return row ? toToken(row) : null;
  }

  /** Newest first; `ownerId` undefined lists everyone's, null the bootstrap admin's. */
  list(ownerId?: string | null): StoredToken[] {
    const where =
      ownerId === undefined
        ? undefined
        : ownerId === null
          ? isNull(apiTokens.ownerId)
          : eq(apiTokens.ownerId, ownerId);
    return this.db
      .select()
      .from(apiTokens)
      .where(where)
      .orderBy(desc(apiTokens.createdAt))
      .all()
      .map(toToken);
  }

  /**
   * Revokes the token, every token made with it (and theirs, all the way down) and every session
   * signed in with any of them, at once. Returns the ids it revoked.
   */
  revoke(id: string, at: string): string[] {
    return this.db.transaction((tx) => {
      const revoked: string[] = [];
      const queue = [id];
      const seen = new Set<string>();
      while (queue.length) {
        const next = queue.shift() as string;
        if (seen.has(next)) continue;
        seen.add(next);
        const done = tx
          .update(apiTokens)
          .set({ revokedAt: at })
          .where(and(eq(apiTokens.id, next), isNull(apiTokens.revokedAt)))
          .run();
        if (done.changes > 0) revoked.push(next);
        tx.update(sessions)
          .set({ revokedAt: at })
          .where(and(eq(sessions.tokenId, next), isNull(sessions.revokedAt)))
          .run();
        for (const child of tx
          .select({ id: apiTokens.id })
          .from(apiTokens)
          .where(eq(apiTokens.parentId, next))
          .all())
          queue.push(child.id);
      }
      return revoked;
    });
  }

  /** Records use, at most once per `coarserThan` so every request is not a write. */
  touch(id: string, at: string, notSince: string): void {
    this.db
      .update(apiTokens)
      .set({ lastUsedAt: at })
      .where(and(eq(apiTokens.id, id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, notSince))))
      .run();
  }
}
