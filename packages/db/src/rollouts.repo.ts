import { finalPhases, type RolloutEvent } from '@aviary/contracts';
import {
  DomainError,
  type HistoryStore,
  type NewEvent,
  type Page,
  type RolloutChanges,
  type RolloutFilter,
  type StoredRollout,
  type Written,
} from '@aviary/core';
import { and, asc, desc, eq, gt, inArray, isNotNull, notInArray, type SQL, sql } from 'drizzle-orm';
import type { AviaryDb, Db } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { toEvent, toEventRow, toRollout, toRolloutRow } from './rows.ts';
import { events, type RolloutRow, rollouts } from './schema/index.ts';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const active = notInArray(rollouts.phase, [...finalPhases]);

/** The rollout history in SQLite. Every write is one IMMEDIATE transaction (see below). */
export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Db;

  constructor({ db }: Pick<AviaryDb, 'db'>) {
    this.db = db;
  }

  get(id: string): StoredRollout | null {
    const row = this.db.select().from(rollouts).where(eq(rollouts.id, id)).get();
    return row ? toRollout(row) : null;
  }

  findActive(namespace: string, service: string): StoredRollout | null {
    const row = this.db
      .select()
      .from(rollouts)
      .where(and(eq(rollouts.namespace, namespace), eq(rollouts.service, service), active))
      .get();
    return row ? toRollout(row) : null;
  }

  listActive(): StoredRollout[] {
    return this.db
      .select()
      .from(rollouts)
      .where(active)
      .orderBy(asc(rollouts.createdAt), asc(rollouts.id))
      .all()
      .map(toRollout);
  }

  /** Rollouts with a cluster operation under way, whatever their phase (a rollback may be cleaning up). */
  listPending(): StoredRollout[] {
    return this.db
      .select()
      .from(rollouts)
      .where(isNotNull(rollouts.operation))
      .orderBy(asc(rollouts.createdAt), asc(rollouts.id))
      .all()
      .map(toRollout);
  }

  /** Newest first; `cursor` is a previous page's `nextCursor`, which is null on the last page. */
  list(filter: RolloutFilter, limit: number, cursor?: string): Page<StoredRollout> {
    const where: SQL[] = [];
    if (filter.namespace !== undefined) where.push(eq(rollouts.namespace, filter.namespace));
    if (filter.service !== undefined) where.push(eq(rollouts.service, filter.service));
    if (filter.phase !== undefined) where.push(eq(rollouts.phase, filter.phase));
    if (filter.active === true) where.push(active);
    if (filter.active === false) where.push(inArray(rollouts.phase, [...finalPhases]));
    if (cursor !== undefined) {
      const after = decodeCursor(cursor);
      // A row value comparison keeps the (created_at, id) index usable for the seek.
      where.push(sql`(${rollouts.createdAt}, ${rollouts.id}) < (${after.createdAt}, ${after.id})`);
    }
    const take = Math.max(1, Math.floor(limit));
    // One extra row tells whether another page exists, so the last page says null, not "maybe".
    const rows = this.db
      .select()
      .from(rollouts)
      .where(and(...where))
      .orderBy(desc(rollouts.createdAt), desc(rollouts.id))
      .limit(take + 1)
      .all();
    const items = rows.slice(0, take).map(toRollout);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > take && last ? encodeCursor(last) : null };
  }

  /** Oldest first; `afterId` is the last event id the caller already has. */
  events(rolloutId: string, limit: number, afterId?: number): RolloutEvent[] {
    const where = [eq(events.rolloutId, rolloutId)];
    if (afterId !== undefined) where.push(gt(events.id, afterId));
    return this.db
      .select()
      .from(events)
      .where(and(...where))
      .orderBy(asc(events.id))
      .limit(Math.max(1, Math.floor(limit)))
      .all()
      .map(toEvent);
  }

  create(rollout: StoredRollout, newEvents: NewEvent[]): Written {
    // IMMEDIATE takes the write lock up front, so a second process waits (busy_timeout) rather
    // than failing mid-transaction when it tries to upgrade a read lock.
    return this.db.transaction(
      (tx) => {
        let row: RolloutRow;
        try {
          row = tx.insert(rollouts).values(toRolloutRow(rollout)).returning().get();
        } catch (err) {
          if (isActiveTargetConflict(err)) throw this.activeRolloutExists(tx, rollout);
          throw err;
        }
        return { rollout: toRollout(row), events: appendEvents(tx, rollout.id, newEvents) };
      },
      { behavior: 'immediate' },
    );
  }

  update(
    id: string,
    expectedVersion: number,
    changes: RolloutChanges,
    newEvents: NewEvent[],
  ): Written | null {
    return this.db.transaction(
      (tx) => {
        // The version check and the write are one statement: no read-then-write window.
        const row = tx
          .update(rollouts)
          .set({ ...definedChanges(changes), version: sql`${rollouts.version} + 1` })
          .where(and(eq(rollouts.id, id), eq(rollouts.version, expectedVersion)))
          .returning()
          .get();
        if (!row) return null;
        return { rollout: toRollout(row), events: appendEvents(tx, id, newEvents) };
      },
      { behavior: 'immediate' },
    );
  }

  private activeRolloutExists(tx: Tx, rollout: StoredRollout): DomainError {
    const { namespace, service } = rollout.target;
    // Still inside the transaction that holds the write lock, so the holder cannot vanish meanwhile.
    const holder = tx
      .select({ id: rollouts.id })
      .from(rollouts)
      .where(and(eq(rollouts.namespace, namespace), eq(rollouts.service, service), active))
      .get();
    return new DomainError(
      'active-rollout-exists',
      `service ${service} in namespace ${namespace} already has an active rollout ${holder?.id ?? ''}; roll it back or promote it first`,
      { rolloutId: holder?.id },
    );
  }
}

function appendEvents(tx: Tx, rolloutId: string, newEvents: NewEvent[]): RolloutEvent[] {
  if (newEvents.length === 0) return [];
  return (
    tx
      .insert(events)
      .values(newEvents.map((e) => toEventRow(rolloutId, e)))
      .returning()
      .all()
      .map(toEvent)
      // RETURNING promises no order; ids follow insertion order.
      .sort((a, b) => a.id - b.id)
  );
}

// `undefined` means "leave as is"; `operation: null` clears the pending operation.
function definedChanges(changes: RolloutChanges): Partial<typeof rollouts.$inferInsert> {
  const set: Partial<typeof rollouts.$inferInsert> = {};
  if (changes.phase !== undefined) set.phase = changes.phase;
  if (changes.weight !== undefined) set.weight = changes.weight;
  if (changes.stepIndex !== undefined) set.stepIndex = changes.stepIndex;
  if (changes.operation !== undefined) set.operation = changes.operation;
  if (changes.updatedAt !== undefined) set.updatedAt = changes.updatedAt;
  return set;
}

function isActiveTargetConflict(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err) || err.code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
  // The partial unique index is the only UNIQUE on (namespace, service); a reused id is a PRIMARYKEY error.
  return err.message.includes('rollouts.namespace, rollouts.service');
}
