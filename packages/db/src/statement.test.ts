import { and, eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { aRollout } from '../test/fixtures.ts';
import { pending } from './approvals.repo.ts';
import { type AviaryDb, createTestDb } from './client.ts';
import { SqliteHistoryStore, active } from './rollouts.repo.ts';
import { type RolloutRow, approvals, rollouts } from './schema/index.ts';
import { Statement } from './statement.ts';

let handle: AviaryDb;

beforeEach(() => {
  handle = createTestDb();
});
afterEach(() => handle.close());

const p = sql.placeholder;

describe('Statement', () => {
  it('returns rows exactly as drizzle does, JSON columns decoded', () => {
    const r = aRollout({ operation: null });
    new SqliteHistoryStore(handle).create(r, []);
    const query = handle.db
      .select()
      .from(rollouts)
      .where(eq(rollouts.id, p('id')));
    const fast = new Statement<RolloutRow>(handle.sqlite, query, rollouts);
    expect(fast.get({ id: r.id })).toEqual(query.prepare().get({ id: r.id }));
    expect(fast.get({ id: r.id })?.steps).toEqual(r.steps);
    expect(fast.get({ id: 'nope' })).toBeUndefined();
    expect(fast.all({ id: r.id })).toHaveLength(1);
  });

  it('says which placeholder has no value instead of binding undefined', () => {
    const fast = new Statement(
      handle.sqlite,
      handle.db
        .select()
        .from(rollouts)
        .where(eq(rollouts.id, p('id'))),
      rollouts,
    );
    expect(() => fast.get({})).toThrow(/no value for placeholder "id"/);
  });

  // The lookups every action makes use partial indexes. Their conditions must be SQL literals:
  // with a bound value, SQLite cannot tell at prepare time that the index applies, and prepares
  // the statement again on every run — here that shows as a plan without the index when the
  // statement's own parameters are all bound to NULL.
  const planOf = (query: { toSQL(): { sql: string; params: unknown[] } }) => {
    const { sql: text, params } = query.toSQL();
    const rows = handle.sqlite.prepare(`EXPLAIN QUERY PLAN ${text}`).all(...params.map(() => null)) as {
      detail: string;
    }[];
    return rows.map((r) => r.detail).join('; ');
  };

  it('finds the active rollout of a target through its partial index, planned once', () => {
    const query = handle.db
      .select()
      .from(rollouts)
      .where(and(eq(rollouts.namespace, p('namespace')), eq(rollouts.service, p('service')), active));
    expect(planOf(query)).toContain('rollouts_one_active_per_target_uq');
  });

  it("finds a rollout's pending approval through its partial index, planned once", () => {
    const query = handle.db
      .select()
      .from(approvals)
      .where(and(eq(approvals.rolloutId, p('rolloutId')), pending));
    expect(planOf(query)).toContain('approvals_one_pending_per_rollout_uq');
  });
});
