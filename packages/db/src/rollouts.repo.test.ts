import type { NewAuditRecord, PendingOperation, StoredRollout } from '@aviary/core';
import { DomainError } from '@aviary/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aRollout, anEvent } from '../test/fixtures.ts';
import { AuditRepo } from './audit.repo.ts';
import { type AviaryDb, createTestDb } from './client.ts';
import { SqliteHistoryStore } from './rollouts.repo.ts';

let handle: AviaryDb;
let store: SqliteHistoryStore;

beforeEach(() => {
  handle = createTestDb();
  store = new SqliteHistoryStore(handle);
});
afterEach(() => handle.close());

const pending: PendingOperation = {
  type: 'set-weight',
  action: 'step',
  actor: 'alice',
  reason: null,
  fromWeight: 1,
  toWeight: 5,
  toStepIndex: 1,
  fromPhase: 'progressing',
  toPhase: 'progressing',
  startedAt: '2025-01-01T00:10:00.000Z',
  token: 'tok-1',
  details: { gate: 'passed' },
};

describe('create', () => {
  it('stores the rollout and its first events, and reads them back as domain values', () => {
    const r = aRollout({ operation: pending });
    const written = store.create(r, [
      anEvent({ details: { image: r.canaryImage } }),
      anEvent({ action: 'canary-ready' }),
    ]);

    expect(written.rollout).toEqual(r);
    expect(store.get(r.id)).toEqual(r);
    expect(written.events.map((e) => [e.rolloutId, e.action])).toEqual([
      [r.id, 'created'],
      [r.id, 'canary-ready'],
    ]);
    expect(store.events(r.id, 10)).toEqual(written.events);
    expect(store.events(r.id, 10)[0]?.details).toEqual({ image: r.canaryImage });
  });

  it('rejects a second active rollout for the same service, naming the one in the way', () => {
    const first = aRollout();
    store.create(first, [anEvent()]);

    const second = aRollout();
    let err: unknown;
    try {
      store.create(second, [anEvent()]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'active-rollout-exists', details: { rolloutId: first.id } });
    expect((err as DomainError).message).toBe(
      `service checkout in namespace shop already has an active rollout ${first.id}; roll it back or promote it first`,
    );
    // Nothing of the refused rollout was written.
    expect(store.get(second.id)).toBeNull();
    expect(store.events(second.id, 10)).toEqual([]);
  });

  it('allows a new rollout once the previous one is rolled back, and other services meanwhile', () => {
    const first = aRollout();
    store.create(first, [anEvent()]);
    store.create(aRollout({ target: { namespace: 'shop', service: 'cart', router: 'istio' } }), []);
    store.create(aRollout({ target: { namespace: 'staging', service: 'checkout', router: 'istio' } }), []);

    expect(
      store.update(first.id, 1, { phase: 'rolled-back' }, [anEvent({ action: 'rollback' })]),
    ).not.toBeNull();
    const next = aRollout();
    expect(store.create(next, [anEvent()]).rollout.id).toBe(next.id);
    expect(store.findActive('shop', 'checkout')?.id).toBe(next.id);
  });

  it('reports a reused id as a plain failure, not as an active rollout', () => {
    const r = aRollout();
    store.create(r, []);
    store.update(r.id, 1, { phase: 'promoted' }, []);
    expect(() => store.create({ ...r }, [])).toThrow(/UNIQUE constraint failed: rollouts.id/);
  });
});

describe('update (compare-and-set on version)', () => {
  it('applies the changes once; the stale writer gets null and writes no events', () => {
    const r = aRollout();
    store.create(r, [anEvent()]);

    const won = store.update(r.id, 1, { phase: 'progressing', weight: 1, stepIndex: 0, operation: pending }, [
      anEvent({ action: 'step', fromWeight: 0, toWeight: 1 }),
    ]);
    const lost = store.update(r.id, 1, { phase: 'rolled-back', weight: 0 }, [
      anEvent({ action: 'rollback' }),
    ]);

    expect(won?.rollout).toMatchObject({
      version: 2,
      phase: 'progressing',
      weight: 1,
      stepIndex: 0,
      operation: pending,
    });
    expect(won?.events).toHaveLength(1);
    expect(won?.events[0]?.id).toEqual(expect.any(Number));
    expect(lost).toBeNull();
    expect(store.get(r.id)).toMatchObject({ version: 2, phase: 'progressing', weight: 1 });
    expect(store.events(r.id, 10).map((e) => e.action)).toEqual(['created', 'step']);
  });

  it('leaves fields it was not given alone and clears the operation on null', () => {
    const r = aRollout({ operation: pending, weight: 1, stepIndex: 0, phase: 'progressing' });
    store.create(r, []);
    const written = store.update(r.id, 1, { operation: null, updatedAt: '2025-02-01T00:00:00.000Z' }, []);
    expect(written?.rollout).toEqual({
      ...r,
      operation: null,
      version: 2,
      updatedAt: '2025-02-01T00:00:00.000Z',
    });
    expect(written?.events).toEqual([]);
  });

  it('returns null for an unknown rollout', () => {
    expect(store.update('nope', 1, { phase: 'paused' }, [anEvent()])).toBeNull();
  });

  it('lets exactly one of 50 racing writers with the same expectedVersion win', async () => {
    const r = aRollout();
    store.create(r, [anEvent()]);
    const results = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        await new Promise((resolve) => setTimeout(resolve, i % 7));
        return store.update(r.id, 1, { weight: i + 1 }, [anEvent({ action: 'set-weight', toWeight: i + 1 })]);
      }),
    );
    const winners = results.filter((w) => w !== null);
    expect(winners).toHaveLength(1);
    expect(store.get(r.id)).toMatchObject({ version: 2, weight: winners[0]?.rollout.weight });
    expect(store.events(r.id, 100).map((e) => e.action)).toEqual(['created', 'set-weight']);
  });

  it('writes nothing when an event is invalid: the state change rolls back with it', () => {
    const r = aRollout();
    store.create(r, []);
    const broken = anEvent({ actor: null as unknown as string });
    expect(() => store.update(r.id, 1, { phase: 'paused' }, [broken])).toThrow(/NOT NULL/);
    expect(store.get(r.id)).toMatchObject({ version: 1, phase: 'starting' });
  });

  const audited = (over: Partial<NewAuditRecord> = {}): NewAuditRecord => ({
    at: '2025-01-01T00:20:00.000Z',
    actor: 'oncall',
    role: 'operator',
    sourceAddress: '10.0.0.7',
    action: 'rollout-action',
    subject: 'rollout/r-1',
    before: { phase: 'progressing', weight: 5 },
    after: { phase: 'rolled-back', weight: 0, request: { type: 'rollback' } },
    reason: 'errors',
    ...over,
  });
  const auditTrail = () => new AuditRepo(handle).list({}, 10).items;

  it('writes an audit record with the events, and none for a stale writer', () => {
    const r = aRollout();
    store.create(r, []);
    store.update(r.id, 1, { phase: 'rolled-back' }, [anEvent({ action: 'rollback' })], audited());
    expect(store.update(r.id, 1, { phase: 'paused' }, [], audited({ actor: 'late' }))).toBeNull();
    expect(auditTrail()).toEqual([{ id: expect.any(Number), ...audited() }]);
  });

  it('writes nothing when the audit record is invalid: state, events and audit go together', () => {
    const r = aRollout();
    store.create(r, []);
    const broken = audited({ actor: null as unknown as string });
    expect(() => store.update(r.id, 1, { phase: 'paused' }, [anEvent()], broken)).toThrow(/NOT NULL/);
    expect(store.get(r.id)).toMatchObject({ version: 1, phase: 'starting' });
    expect(store.events(r.id, 10)).toEqual([]);
    expect(auditTrail()).toEqual([]);
  });

  it('writes a start’s audit record with the rollout, and none when the target already has one', () => {
    const started = audited({ action: 'rollout-started', before: null });
    const r = aRollout();
    store.create(r, [anEvent()], started);
    expect(auditTrail()).toEqual([{ id: expect.any(Number), ...started }]);
    expect(() => store.create(aRollout({ id: 'r-2' }), [anEvent()], audited({ actor: 'second' }))).toThrow(
      DomainError,
    );
    expect(auditTrail()).toHaveLength(1);
  });
});

describe('update: unspecified fields and JSON columns', () => {
  // What is stored, as text: the JSON columns must read the same whichever statement wrote them.
  const rawRollout = (id: string) =>
    handle.sqlite.prepare('SELECT operation, steps FROM rollouts WHERE id = ?').get(id) as {
      operation: string | null;
      steps: string;
    };
  const rawDetails = (rolloutId: string) =>
    (
      handle.sqlite.prepare('SELECT details FROM events WHERE rollout_id = ? ORDER BY id').all(rolloutId) as {
        details: string | null;
      }[]
    ).map((e) => e.details);

  it('keeps the operation when it is not given, clears it to SQL NULL on null, and sets a new one', () => {
    const r = aRollout({ operation: pending });
    store.create(r, []);
    const asCreated = rawRollout(r.id);

    const kept = store.update(r.id, 1, { weight: 5 }, []);
    expect(kept?.rollout).toEqual({ ...r, weight: 5, version: 2 });
    expect(rawRollout(r.id)).toEqual(asCreated);

    const cleared = store.update(r.id, 2, { operation: null }, []);
    expect(cleared?.rollout).toEqual({ ...r, weight: 5, version: 3, operation: null });
    // NULL, not the JSON text 'null': listPending() relies on it.
    expect(rawRollout(r.id).operation).toBeNull();
    expect(store.listPending()).toEqual([]);

    const next: PendingOperation = { ...pending, token: 'tok-2', recorded: true };
    const set = store.update(r.id, 3, { operation: next }, []);
    expect(set?.rollout.operation).toEqual(next);
    expect(store.get(r.id)?.operation).toEqual(next);
    expect(rawRollout(r.id).operation).toBe(JSON.stringify(next));
  });

  it('writes JSON as the drizzle insert does, so each path reads what the other wrote', () => {
    const tricky: PendingOperation = {
      ...pending,
      reason: 'quote " backslash \\ newline \n ünïcödé 🚀',
      details: { nested: { list: [1, 'two', null, { three: 3 }] }, empty: {}, flag: false },
    };
    const details = { image: 'a:"b"', nested: { n: [1.5, -2] }, none: null };
    // create() inserts the rollout with drizzle's query builder; update() uses the prepared statement.
    const a = aRollout({ operation: tricky });
    store.create(a, [anEvent({ details }), anEvent({ details: null })]);
    const b = aRollout({ target: { namespace: 'shop', service: 'cart', router: 'istio' } });
    store.create(b, []);
    store.update(b.id, 1, { operation: tricky }, [anEvent({ details }), anEvent({ details: null })]);

    expect(rawRollout(b.id)).toEqual(rawRollout(a.id));
    expect(rawDetails(b.id)).toEqual(rawDetails(a.id));
    expect(rawDetails(b.id)).toEqual([JSON.stringify(details), null]);
    expect(store.get(a.id)?.operation).toEqual(tricky);
    expect(store.get(b.id)?.operation).toEqual(tricky);
    expect(store.get(b.id)?.steps).toEqual(a.steps);
    expect(store.events(b.id, 10).map((e) => e.details)).toEqual([details, null]);
  });

  it('appends several events in the order given, with increasing ids', () => {
    const r = aRollout();
    store.create(r, []);
    const written = store.update(r.id, 1, { phase: 'progressing' }, [
      anEvent({ action: 'step', toWeight: 1 }),
      anEvent({ action: 'set-weight', toWeight: 5 }),
      anEvent({ action: 'pause', toWeight: 5 }),
    ]);
    expect(written?.events.map((e) => [e.rolloutId, e.action, e.toWeight])).toEqual([
      [r.id, 'step', 1],
      [r.id, 'set-weight', 5],
      [r.id, 'pause', 5],
    ]);
    const ids = written?.events.map((e) => e.id) ?? [];
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(store.events(r.id, 10)).toEqual(written?.events);
  });
});

describe('listPending', () => {
  it('lists the rollouts with an operation under way, in any phase, oldest first', () => {
    const rolledBack = aRollout({ operation: { ...pending, type: 'rollback', token: 'rb' } });
    const idle = aRollout({ target: { namespace: 'shop', service: 'cart', router: 'istio' } });
    const moving = aRollout({
      target: { namespace: 'shop', service: 'auth', router: 'istio' },
      operation: pending,
    });
    for (const r of [rolledBack, idle, moving]) store.create(r, []);
    store.update(rolledBack.id, 1, { phase: 'rolled-back' }, []);

    expect(store.listPending().map((r) => [r.id, r.phase, r.operation?.token])).toEqual([
      [rolledBack.id, 'rolled-back', 'rb'],
      [moving.id, 'starting', 'tok-1'],
    ]);
  });
});

describe('events are append-only', () => {
  it('aborts any UPDATE or DELETE of an event, whoever issues it', () => {
    const r = aRollout();
    store.create(r, [anEvent({ reason: 'original' })]);
    expect(() => handle.sqlite.prepare("UPDATE events SET reason = 'rewritten'").run()).toThrow(
      /append-only/,
    );
    expect(() => handle.sqlite.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(store.events(r.id, 10).map((e) => e.reason)).toEqual(['original']);
  });

  it('keeps a rollout that has history from being deleted', () => {
    const r = aRollout();
    store.create(r, [anEvent()]);
    expect(() => handle.sqlite.prepare('DELETE FROM rollouts WHERE id = ?').run(r.id)).toThrow(/FOREIGN KEY/);
  });

  it('pages events oldest first after a given id', () => {
    const r = aRollout();
    const { events } = store.create(
      r,
      Array.from({ length: 5 }, (_, i) => anEvent({ action: 'set-weight', toWeight: i })),
    );
    const ids = events.map((e) => e.id);
    expect(store.events(r.id, 2).map((e) => e.id)).toEqual(ids.slice(0, 2));
    expect(store.events(r.id, 2, ids[1]).map((e) => e.id)).toEqual(ids.slice(2, 4));
    expect(store.events(r.id, 2, ids[4])).toEqual([]);
  });
});

describe('list', () => {
  const walk = (filter: Parameters<SqliteHistoryStore['list']>[0], limit: number) => {
    const seen: StoredRollout[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const page = store.list(filter, limit, cursor);
      seen.push(...page.items);
      if (page.nextCursor === null) return { seen, pages: pages + 1 };
      cursor = page.nextCursor;
    }
    throw new Error('pagination did not end');
  };

  // 23 rollouts over 4 services; some share a created_at so the id tie-break matters.
  const seed = () => {
    const all: StoredRollout[] = [];
    for (let i = 0; i < 23; i++) {
      const service = ['checkout', 'cart', 'search', 'auth'][i % 4]!;
      const createdAt = new Date(Date.UTC(2025, 0, 1, 0, 0, Math.floor(i / 3))).toISOString();
      const r = aRollout({ target: { namespace: 'shop', service, router: 'istio' }, createdAt });
      store.create(r, []);
      // Leave the newest rollout of each service active, finish the others.
      if (i < 19) store.update(r.id, 1, { phase: i % 2 ? 'promoted' : 'rolled-back' }, []);
      all.push(store.get(r.id)!);
    }
    return all;
  };
  const newestFirst = (rs: StoredRollout[]) =>
    [...rs]
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
      .map((r) => r.id);

  it('walks every rollout exactly once, newest first, and says when it is done', () => {
    const all = seed();
    const { seen, pages } = walk({}, 5);
    expect(seen.map((r) => r.id)).toEqual(newestFirst(all));
    expect(pages).toBe(5);
  });

  it('ends with a null cursor when the last page is exactly full', () => {
    seed();
    const { seen, pages } = walk({}, 23);
    expect(seen).toHaveLength(23);
    expect(pages).toBe(1);
  });

  it.each([
    [{ service: 'checkout' }, (r: StoredRollout) => r.target.service === 'checkout'],
    [{ phase: 'promoted' as const }, (r: StoredRollout) => r.phase === 'promoted'],
    [{ active: true }, (r: StoredRollout) => r.phase === 'starting'],
    [{ active: false, namespace: 'shop' }, (r: StoredRollout) => r.phase !== 'starting'],
    [{ namespace: 'other' }, () => false],
  ])('applies filter %o on every page', (filter, keep) => {
    const all = seed();
    const { seen } = walk(filter, 2);
    expect(seen.map((r) => r.id)).toEqual(newestFirst(all.filter(keep)));
  });

  it('refuses a cursor it did not issue, saying what to do instead', () => {
    expect(() => store.list({}, 5, 'not-a-cursor')).toThrow(/pass the nextCursor of the previous page/);
  });

  it('lists the active rollouts for recovery', () => {
    seed();
    expect(
      store
        .listActive()
        .map((r) => r.target.service)
        .sort(),
    ).toEqual(['auth', 'cart', 'checkout', 'search']);
  });
});
