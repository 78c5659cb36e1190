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

  /**
   * Claim `owner`'s `key` for this request, or learn what it was used for. Keys belong to one
   * principal (`owner`, a stable id): the same key from someone else is a different key.
   * Atomic across connections and processes.
   */
  begin(owner: string, key: string, scope: string, requestHash: string): IdempotencyBegin {
    return this.immediate(() => {
      const claimed = this.db
        .insert(idempotencyKeys)
        .values({ owner, key, scope, requestHash, createdAt: this.clock.now().toISOString() })
        .onConflictDoNothing({ target: [idempotencyKeys.owner, idempotencyKeys.key] })
        .returning({ key: idempotencyKeys.key })
        .get();
      if (claimed) return { state: 'new' };
      // The write lock is held from the INSERT on, so the row cannot be finished or abandoned meanwhile.
      const row = this.db.select().from(idempotencyKeys).where(this.is(owner, key)).get();
      if (!row) throw new Error(`idempotency key ${key} vanished inside its own transaction`);
      if (row.scope !== scope || row.requestHash !== requestHash) return { state: 'mismatch' };
      if (row.statusCode === null) return { state: 'in-flight' };
      return { state: 'replay', statusCode: row.statusCode, response: row.response ?? null };
    });
  }

  /**
   * Store the answer for replays. Returns false when the key is not in flight (unknown, or
   * already finished), and when the answer holds a secret (see `secretFieldIn`): such an answer
   * is never written to disk; the key is released instead, as by `abandon`.
   */
  finish(owner: string, key: string, statusCode: number, response: unknown): boolean {
    if (secretFieldIn(response) !== null) {
      this.abandon(owner, key);
      return false;
    }
    const result = this.db
      .update(idempotencyKeys)
      .set({ statusCode, response })
      .where(and(this.is(owner, key), isNull(idempotencyKeys.statusCode)))
      .run();
    return result.changes > 0;
  }

  /** Release an in-flight key whose request failed before acting, so a retry runs instead of waiting. */
  abandon(owner: string, key: string): boolean {
    const result = this.db
      .delete(idempotencyKeys)
      .where(and(this.is(owner, key), isNull(idempotencyKeys.statusCode)))
      .run();
    return result.changes > 0;
  }

  /** Forget keys created before `date` (finished or stuck in flight); returns how many. */
  purgeOlderThan(date: Date): number {
    return this.db.delete(idempotencyKeys).where(lt(idempotencyKeys.createdAt, date.toISOString())).run()
      .changes;
  }

  private is(owner: string, key: string) {
    return and(eq(idempotencyKeys.owner, owner), eq(idempotencyKeys.key, key));
  }
}

/** Field names whose values are credentials: an answer carrying one must not be stored. */
const secretFields = /^(token|secret|password|csrf-?token|api-?key|cookie|authorization|session)$/i;

/** The path of the first field in `value` whose name says it holds a secret, or null. */
export function secretFieldIn(value: unknown, path = ''): string | null {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = secretFieldIn(item, `${path}[${i}]`);
      if (found !== null) return found;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [name, item] of Object.entries(value)) {
      const here = path ? `${path}.${name}` : name;
      if (secretFields.test(name.replace(/_/g, '-'))) return here;
      const found = secretFieldIn(item, here);
      if (found !== null) return found;
    }
  }
  return null;
}
