import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricPoint } from '@aviary/contracts';
import { MetricProfile } from '@aviary/contracts';
import { describe, expect, it } from 'vitest';
import { aRollout } from '../test/fixtures.ts';
import { createDb, createTestDb } from './client.ts';
import { SqliteMetricPointStore } from './metric-points.repo.ts';
import { SqliteProfileStore } from './profiles.repo.ts';
import { SqliteHistoryStore } from './rollouts.repo.ts';

const point = (at: string, arm: 'canary' | 'stable', errorRate: number | null): MetricPoint => ({
  at,
  arm,
  requestRate: 5,
  errorRate,
  p50: 30,
  p95: null,
  p99: 70,
  business: { 'checkout-conversion': arm === 'canary' ? 0.42 : null },
});

describe('metric points', () => {
  it('keeps a rollout’s points, NULL as no data, and reads a time range back in order', () => {
    const db = createTestDb();
    const rollout = new SqliteHistoryStore(db).create(aRollout(), []).rollout;
    const store = new SqliteMetricPointStore(db);
    store.append(rollout.id, [
      point('2026-01-01T00:00:10.000Z', 'canary', 0.08),
      point('2026-01-01T00:00:10.000Z', 'stable', 0.002),
    ]);
    store.append(rollout.id, [point('2026-01-01T00:00:05.000Z', 'canary', null)]);
    store.append(rollout.id, [point('2026-01-01T00:01:00.000Z', 'canary', 0.07)]);
    const got = store.range(rollout.id, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:30.000Z');
    expect(got.map((p) => [p.at, p.arm, p.errorRate])).toEqual([
      ['2026-01-01T00:00:05.000Z', 'canary', null],
      ['2026-01-01T00:00:10.000Z', 'canary', 0.08],
      ['2026-01-01T00:00:10.000Z', 'stable', 0.002],
    ]);
    expect(got[1]).toEqual(point('2026-01-01T00:00:10.000Z', 'canary', 0.08));
    expect(store.range('someone-else', '2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('refuses points for a rollout that does not exist', () => {
    const store = new SqliteMetricPointStore(createTestDb());
    expect(() => store.append('nope', [point('2026-01-01T00:00:00.000Z', 'canary', 0)])).toThrow(
      /FOREIGN KEY/,
    );
  });
});

describe('target profiles', () => {
  it('saves, replaces and survives a reopen of the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'aviary-profiles-')), 'aviary.db');
    const db = createDb(file);
    const store = new SqliteProfileStore(db);
    expect(store.get('shop', 'checkout')).toBeNull();
    const profile = MetricProfile.parse({ minBakeSeconds: 120 });
    store.put({
      namespace: 'shop',
      service: 'checkout',
      profile,
      source: 'api',
      updatedAt: '2026-01-01T00:00:00.000Z',
      updatedBy: 'alice',
    });
    store.put({
      namespace: 'shop',
      service: 'checkout',
      profile: { ...profile, minSamples: 500 },
      source: 'api',
      updatedAt: '2026-01-02T00:00:00.000Z',
      updatedBy: 'bob',
    });
    db.close();
    const again = new SqliteProfileStore(createDb(file)).get('shop', 'checkout');
    expect(again).toMatchObject({
      source: 'api',
      updatedBy: 'bob',
      profile: { minBakeSeconds: 120, minSamples: 500 },
    });
    expect(new SqliteProfileStore(createDb(file)).get('shop', 'catalog')).toBeNull();
  });
});
