import { finalPhases, type RolloutEvent } from '@aviary/contracts';
import {
  DomainError,
  type HistoryStore,
  type NewAuditRecord,
  type NewEvent,
  type Page,
  type RolloutChanges,
  type RolloutFilter,
  type StoredRollout,
  type Written,
} from '@aviary/core';
import { and, asc, desc, eq, gt, inArray, isNotNull, type SQL, sql } from 'drizzle-orm';
import { AuditRepo } from './audit.repo.ts';
import type { AviaryDb, Db } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { json, toEvent, toRollout, toRolloutRow } from './rows.ts';
import { Statement } from './statement.ts';
import { type EventRow, events, type RolloutRow, rollouts } from './schema/index.ts';

/**
 * A rollout that is not final, written with literals as in the partial unique index (schema/
 * rollouts.ts), so SQLite plans with that index once. A bound value here would make it plan the
 * statement again on every run (the index's use would depend on the value).
 */
export const active = sql`${rollouts.phase} NOT IN (${sql.raw(finalPhases.map((p) => `'${p}'`).join(', '))})`;

/**
 * The statements on the hot path of every API action, built once per connection and run as
 * `Statement`s (drizzle's SQL, better-sqlite3's execution: see statement.ts).
 *
 * Placeholders are bound as given: nothing passes through a column's encoder, because drizzle
 * would encode a JSON column's `null` as the text 'null'. JSON values are encoded beforehand with
 * the column's own encoder (see `json`), so rows read the same whichever path wrote them.
 */
function prepareStatements(db: Db, sqlite: AviaryDb['sqlite']) {
  const p = sql.placeholder;
  const byCreation = [asc(rollouts.createdAt), asc(rollouts.id)];
  return {
    get: new Statement<RolloutRow>(
      sqlite,
      db
        .select()
        .from(rollouts)
        .where(eq(rollouts.id, p('id'))),
      rollouts,
    ),
    findActive: new Statement<RolloutRow>(
      sqlite,
      db
        .select()
        .from(rollouts)
        .where(and(eq(rollouts.namespace, p('namespace')), eq(rollouts.service, p('service')), active)),
      rollouts,
    ),
    listActive: new Statement<RolloutRow>(
      sqlite,
      db
        .select()
        .from(rollouts)
        .where(active)
        .orderBy(...byCreation),
      rollouts,
    ),
    listPending: new Statement<RolloutRow>(
      sqlite,
      db
        .select()
        .from(rollouts)
        .where(isNotNull(rollouts.operation))
        .orderBy(...byCreation),
      rollouts,
    ),
    // One statement for every combination of changes: NULL means "leave as is" for the NOT NULL
    // columns, and `setOperation` tells clearing the nullable operation from leaving it.
    // The version check and the write are one statement: no read-then-write window.
    update: new Statement<RolloutRow>(
      sqlite,
      db
        .update(rollouts)
        .set({
          phase: sql`coalesce(${p('phase')}, ${rollouts.phase})`,
          weight: sql`coalesce(${p('weight')}, ${rollouts.weight})`,
          stepIndex: sql`coalesce(${p('stepIndex')}, ${rollouts.stepIndex})`,
          operation: sql`CASE WHEN ${p('setOperation')} THEN ${p('operation')} ELSE ${rollouts.operation} END`,
          updatedAt: sql`coalesce(${p('updatedAt')}, ${rollouts.updatedAt})`,
          version: sql`${rollouts.version} + 1`,
        })
        .where(and(eq(rollouts.id, p('id')), eq(rollouts.version, p('expectedVersion'))))
        .returning(),
      rollouts,
    ),
    insertEvent: new Statement<EventRow>(
      sqlite,
      db
        .insert(events)
        .values({
          rolloutId: sql`${p('rolloutId')}`,
          at: sql`${p('at')}`,
          actor: sql`${p('actor')}`,
          action: sql`${p('action')}`,
          fromWeight: sql`${p('fromWeight')}`,
          toWeight: sql`${p('toWeight')}`,
          fromPhase: sql`${p('fromPhase')}`,
          toPhase: sql`${p('toPhase')}`,
          reason: sql`${p('reason')}`,
          details: sql`${p('details')}`,
        })
        .returning(),
      events,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** The rollout history in SQLite. Every write is one IMMEDIATE transaction (see below). */
export class SqliteHistoryStore implements HistoryStore {
  private readonly db: Db;
  private readonly immediate: AviaryDb['immediate'];
  private readonly q: Statements;
  /** Actions' audit records go in with their events, on the same connection and transaction. */
  private readonly audit: AuditRepo;

  constructor({ db, sqlite, immediate }: Pick<AviaryDb, 'db' | 'sqlite' | 'immediate'>) {
    this.db = db;
    this.immediate = immediate;
    this.q = prepareStatements(db, sqlite);
    this.audit = new AuditRepo({ db, sqlite });
  }

  get(id: string): StoredRollout | null {
    const row = this.q.get.get({ id });
    return row ? toRollout(row) : null;
  }

  findActive(namespace: string, service: string): StoredRollout | null {
    const row = this.q.findActive.get({ namespace, service });
    return row ? toRollout(row) : null;
  }

  listActive(): StoredRollout[] {
    return this.q.listActive.all().map(toRollout);
  }

  /** Rollouts with a cluster operation under way, whatever their phase (a rollback may be cleaning up). */
  listPending(): StoredRollout[] {
    return this.q.listPending.all().map(toRollout);
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

  create(rollout: StoredRollout, newEvents: NewEvent[], audit?: NewAuditRecord): Written {
    return this.immediate(() => {
      let row: RolloutRow;
      try {
        row = this.db.insert(rollouts).values(toRolloutRow(rollout)).returning().get();
      } catch (err) {
        if (isActiveTargetConflict(err)) throw this.activeRolloutExists(rollout);
        throw err;
      }
      const written = { rollout: toRollout(row), events: this.appendEvents(rollout.id, newEvents) };
      if (audit) this.audit.append(audit);
      return written;
    });
  }

  update(
    id: string,
    expectedVersion: number,
    changes: RolloutChanges,
    newEvents: NewEvent[],
    audit?: NewAuditRecord,
  ): Written | null {
    return this.immediate(() => {
      const row = this.q.update.get({
        id,
        expectedVersion,
        phase: changes.phase ?? null,
        weight: changes.weight ?? null,
        stepIndex: changes.stepIndex ?? null,
        // `undefined` means "leave as is"; `operation: null` clears the pending operation.
        setOperation: changes.operation === undefined ? 0 : 1,
        operation: json(rollouts.operation, changes.operation),
        updatedAt: changes.updatedAt ?? null,
      });
      if (!row) return null;
      const written = { rollout: toRollout(row), events: this.appendEvents(id, newEvents) };
      if (audit) this.audit.append(audit);
      return written;
    });
  }

  /** Call inside the write's transaction. One prepared INSERT per event, so ids follow `newEvents`. */
  private appendEvents(rolloutId: string, newEvents: NewEvent[]): RolloutEvent[] {
    return newEvents.map((e) => {
      const row = this.q.insertEvent.get({
        rolloutId,
        // `?? null`: a missing field is NULL, as drizzle writes it (and NOT NULL still rejects it).
        at: e.at ?? null,
        actor: e.actor ?? null,
        action: e.action ?? null,
        fromWeight: e.fromWeight ?? null,
        toWeight: e.toWeight ?? null,
        fromPhase: e.fromPhase ?? null,
        toPhase: e.toPhase ?? null,
        reason: e.reason ?? null,
        details: json(events.details, e.details),
      });
      // INSERT … RETURNING always yields the row it inserted.
      return toEvent(row!);
    });
  }

  private activeRolloutExists(rollout: StoredRollout): DomainError {
    const { namespace, service } = rollout.target;
    // Still inside the transaction that holds the write lock, so the holder cannot vanish meanwhile.
    const holder = this.db
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

function isActiveTargetConflict(err: unknown): boolean {
  if (!(err instanceof Error) || !('code' in err) || err.code !== 'SQLITE_CONSTRAINT_UNIQUE') return false;
  // The partial unique index is the only UNIQUE on (namespace, service); a reused id is a PRIMARYKEY error.
  return err.message.includes('rollouts.namespace, rollouts.service');
}
