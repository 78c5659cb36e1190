import { type Clock, systemClock } from '@aviary/core';
import { and, eq, isNull, lt } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { idempotencyKeys } from './schema/index.ts';

/** What to do with a request that carries an `Idempotency-Key`. */
export type IdempotencyBegin =
  /** First time: run the request, then `finish` (or `abandon` if it failed before acting). */
  | { state: 'new' }
  /** Already answered: send the stored answer again. */
  | { state: 'replay'; statusCode: number; response: unknown }
  /** The first request is still running: tell the client to retry later. */
  | { state: 'in-flight' }
  /** The key was used for a different request (or by another caller): refuse. */
  | { state: 'mismatch' };

export class IdempotencyRepo {
  private readonly db: Db;
  private readonly immediate: AviaryDb['immediate'];

  constructor(
    { db, immediate }: Pick<AviaryDb, 'db' | 'immediate'>,
    private readonly clock: Clock = systemClock,
  ) {
    this.db = db;
    this.immediate = immediate;
  }

  /** Claim `key` for this request, or learn who holds it. Atomic across connections and processes. */
  begin(key: string, scope: string, requestHash: string): IdempotencyBegin {
    return this.immediate(() => {
      const claimed = this.db
        .insert(idempotencyKeys)
        .values({ key, scope, requestHash, createdAt: this.clock.now().toISOString() })
        .onConflictDoNothing({ target: idempotencyKeys.key })
        .returning({ key: idempotencyKeys.key })
        .get();
      if (claimed) return { state: 'new' };
      // The write lock is held from the INSERT on, so the row cannot be finished or abandoned meanwhile.
      const row = this.db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, key)).get();
      if (!row) throw new Error(`idempotency key ${key} vanished inside its own transaction`);
      if (row.scope !== scope || row.requestHash !== requestHash) return { state: 'mismatch' };
      if (row.statusCode === null) return { state: 'in-flight' };
      return { state: 'replay', statusCode: row.statusCode, response: row.response ?? null };
    });
  }

  /** Store the answer for replays. Returns false when the key is not in flight (unknown, or already finished). */
  finish(key: string, statusCode: number, response: unknown): boolean {
    const result = this.db
      .update(idempotencyKeys)
      .set({ statusCode, response })
      .where(and(eq(idempotencyKeys.key, key), isNull(idempotencyKeys.statusCode)))
      .run();
    return result.changes > 0;
  }

  /** Release an in-flight key whose request failed before acting, so a retry runs instead of waiting. */
  abandon(key: string): boolean {
    const result = this.db
      .delete(idempotencyKeys)
      .where(and(eq(idempotencyKeys.key, key), isNull(idempotencyKeys.statusCode)))
      .run();
    return result.changes > 0;
  }

  /** Forget keys created before `date` (finished or stuck in flight); returns how many. */
  purgeOlderThan(date: Date): number {
    return this.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, date.toISOString())).run()
      .changes;
  }
}
