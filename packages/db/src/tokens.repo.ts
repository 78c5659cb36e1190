import type { ApiToken } from '@aviary/contracts';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { type ApiTokenRow, apiTokens, sessions } from './schema/index.ts';

export interface StoredToken extends ApiToken {
  ownerId: string | null;
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

  create(token: Omit<StoredToken, 'lastUsedAt' | 'revokedAt'>, secretHash: string): StoredToken {
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

  /** Revokes the token and every session signed in with it, at once. */
  revoke(id: string, at: string): boolean {
    return this.db.transaction((tx) => {
      const done = tx
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .run();
      tx.update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.tokenId, id), isNull(sessions.revokedAt)))
        .run();
      return done.changes > 0;
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
